// The affiliation segmenter (reconcile/affiliation/segments.ts) on strings
// written here: spans that point into the string, departments, addresses,
// countries in several languages, state codes, Crossref footnote numbers,
// French numbered universities, acronyms, conjunctions, unit codes and towns.
// Pure functions: no index, no data.
import { describe, expect, it } from "vitest";
import {
  asCountry, classify, countriesIn, decodeEntities, headsBeforeSubunit, splitAffiliation, splitConjunctions,
  type IsCity, type Segment, type SegmentKind,
} from "../reconcile/affiliation/segments.ts";

/** [kind, text] of every segment. */
const parts = (text: string, isCity?: IsCity) => splitAffiliation(text, isCity).map((s) => [s.kind, s.text]);
const textsOf = (segments: Segment[]) => segments.map((s) => s.text);
const seg = (text: string, kind: SegmentKind = "organisation", start = 0): Segment => ({ text, start, end: start + text.length, kind });
const towns = (...names: string[]): IsCity => (key) => names.includes(key);

/** Every span of the string's segments, and of the parts the matcher cuts them into, is the text it names. */
function spansHold(text: string, isCity?: IsCity): Segment[] {
  const segments = splitAffiliation(text, isCity);
  let previousEnd = 0;
  for (const s of segments) {
    expect(text.slice(s.start, s.end), `segment of ${JSON.stringify(text)}`).toBe(s.text);
    expect(s.text.length).toBeGreaterThan(0);
    expect(s.text).toBe(s.text.trim());
    expect(s.start).toBeGreaterThanOrEqual(previousEnd);
    previousEnd = s.end;
    for (const p of [...splitConjunctions(s), ...headsBeforeSubunit(s)]) {
      expect(text.slice(p.start, p.end), `part of ${JSON.stringify(s.text)}`).toBe(p.text);
      expect(p.start).toBeGreaterThanOrEqual(s.start);
      expect(p.end).toBeLessThanOrEqual(s.end);
    }
  }
  return segments;
}

describe("decodeEntities", () => {
  it("decodes the entities publishers leave in their metadata, and no others", () => {
    expect(decodeEntities("&quot;National Research Council&quot;")).toBe('"National Research Council"');
    expect(decodeEntities("Texas A&amp;M University")).toBe("Texas A&M University");
    expect(decodeEntities("King&#39;s College, Queen&#x27;s University, Université d&apos;Évry")).toBe("King's College, Queen's University, Université d'Évry");
    expect(decodeEntities("&lt;sup&gt;1&lt;/sup&gt;")).toBe("<sup>1</sup>");
    // Unknown entities are left as written, and one pass only: "&amp;amp;" was an escaped "&amp;".
    expect(decodeEntities("Caf&eacute;&nbsp;Lab")).toBe("Caf&eacute;&nbsp;Lab");
    expect(decodeEntities("A&amp;amp;B")).toBe("A&amp;B");
    expect(decodeEntities("AT&T Labs")).toBe("AT&T Labs");
  });

  it("never makes the string longer, so spans on the decoded text stay short of its end", () => {
    for (const s of ["&quot;&amp;&apos;&lt;&gt;&#39;&#x27;", "x&quot;y", "&amp;&amp;&amp;", "&"]) {
      expect(decodeEntities(s).length).toBeLessThanOrEqual(s.length);
    }
    expect(decodeEntities("&quot;&amp;&apos;&lt;&gt;&#39;&#x27;")).toBe(`"&'<>''`);
  });

  it("a raw entity's semicolon is a separator: the string must be decoded before it is cut", () => {
    expect(textsOf(splitAffiliation("Institut Pasteur &amp; CNRS, Paris"))).toEqual(["Institut Pasteur &amp", "CNRS", "Paris"]);
    expect(textsOf(splitAffiliation(decodeEntities("Institut Pasteur &amp; CNRS, Paris")))).toEqual(["Institut Pasteur & CNRS", "Paris"]);
  });
});

describe("spans", () => {
  const written = [
    "Dept. of Physics, Humboldt-Universität zu Berlin, 10099 Berlin, Germany",
    "  ,Dept. of Chemistry;  Université d’Évry  (UEVE) ,\tFrance\n",
    "Laboratoire d'informatique de Paris-Nord (LIPN), CNRS UMR 7030, Université Sorbonne Paris Nord, 93430 Villetaneuse, France",
    "🧪 Lab of 🧬 Genomics, 東京大学, Tōkyō, 日本",
    "جامعة القاهرة, Cairo, Egypt",
    "Universite\u0301 de Lie\u0300ge (ULiège) — Liège — Belgique",
    "Institut Pasteur &amp; CNRS, &quot;Unité X&quot;, Paris",
    decodeEntities("Institut Pasteur &amp; CNRS, &quot;Unité X&quot;, Paris"),
    "University X 4 Department of Y, , City, ST, USA",
    "Kyoto University 3 , Kyoto",
    "University of Pittsburgh School of Medicine, Pittsburgh, PA",
    "corporate member of Freie Universität Berlin and Humboldt-Universität zu Berlin, Berlin, Germany",
    "CNRS/Université Paris-Saclay | Institut de Physique Théorique [IPhT] - Gif-sur-Yvette",
    "Straße\u00a0des 17. Juni 135, 10623 Berlin",
    ".:- Université Paris 13 -:. ,, ;; ()",
    "&&& ---",
    "",
    " ",
  ];

  it.each(written)("hold on %j", (text) => {
    spansHold(text, towns("berlin", "paris", "liege", "kyoto", "tokyo", "cairo"));
  });

  it("hold on decoded text, where the matcher takes them", () => {
    const text = decodeEntities("Center for X &amp; Y, &quot;National Research Council&quot;, Rome, Italy");
    const segments = spansHold(text);
    expect(textsOf(segments)).toEqual(["Center for X & Y", '"National Research Council"', "Rome", "Italy"]);
  });

  it("hold on thousands of generated strings of separators, punctuation, digits, unicode and entities", () => {
    // A seeded generator: the same strings on every run.
    let seed = 20240607;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pieces = [
      "a", "B", "x", " ", "  ", "-", "–", "—", ".", ":", "&", ",", ";", "(", ")", "[", "]", "|", "\n", "\t", "\u00a0",
      "1", "12", " 3 ", "é", "e\u0301", "🧪", "東京", "ß", "Ø", "Université ", "Dept. of ", " and ", "/", " at ", " & ",
      "&amp;", "&quot;", "University of X School of Medicine", "Institute Y ", "Paris 1 ", " 4 Department", "UMR 7030",
      "Center for A and Institute for B", "CA", "USA", "75005 Paris CEDEX 05",
    ];
    let checked = 0;
    for (let n = 0; n < 3000; n++) {
      let text = "";
      const length = 1 + Math.floor(next() * 12);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)];
      for (const t of [text, decodeEntities(text)]) checked += spansHold(t, towns("paris")).length;
    }
    expect(checked).toBeGreaterThan(5000);
  });

  it("an empty string or only separators gives no segment", () => {
    expect(splitAffiliation("")).toEqual([]);
    expect(splitAffiliation(" ,,; () [] | \n\t - ")).toEqual([]);
    expect(countriesIn([])).toEqual([]);
  });

  it("offsets of a segment after unicode count UTF-16 units as String.prototype.slice does", () => {
    const text = "🧪🧪 Lab, Université de Genève";
    const [lab, geneva] = splitAffiliation(text);
    expect(lab).toMatchObject({ text: "🧪🧪 Lab", start: 0, end: 8 });
    expect(geneva).toMatchObject({ text: "Université de Genève", start: 10, end: 30, kind: "organisation" });
  });
});

describe("departments", () => {
  it.each([
    "Dept. of Physics", "Department of Physics and Astronomy", "Departement de Chimie", "Faculté de médecine", "Faculty of Science",
    "Division of Infectious Diseases", "School of Medicine", "Graduate School of Engineering", "College of Engineering",
    "Unit of Biostatistics", "UFR de Chimie", "Service de Cardiologie", "Lehrstuhl für Informatik", "Klinik für Neurologie",
    "Equipe Cancer et Immunité", "2nd Department of Surgery",
  ])("%s is a department", (text) => {
    expect(classify(text, false)).toBe("department");
  });

  it("an organisation that merely contains the word is not one", () => {
    expect(classify("Unité mixte de recherche 7030", false)).toBe("organisation");
    expect(classify("Harvard Medical School", false)).toBe("organisation");
    expect(classify("London School of Economics", false)).toBe("organisation");
    expect(classify("Imperial College London", false)).toBe("organisation");
  });

  it("a department is cut from its organisation at the comma, with its span", () => {
    const text = "Division of Infectious Diseases, Stanford University, Stanford, CA 94305, USA";
    expect(parts(text, towns("stanford"))).toEqual([
      ["department", "Division of Infectious Diseases"],
      ["organisation", "Stanford University"],
      ["city", "Stanford"],
      ["address", "CA 94305"],
      ["country", "USA"],
    ]);
    const [dept] = splitAffiliation(text);
    expect([dept.start, dept.end]).toEqual([0, 31]);
  });
});

describe("addresses", () => {
  it.each([
    "12 rue de la Paix", "1 place Jussieu", "P.O. Box 1234", "PO Box 1234", "BP 53", "CS 40700", "CEDEX 9", "Cedex",
    "75005 Paris CEDEX 05", "Via Roma 12", "1600 Amphitheatre Parkway", "Bldg 5", "Room 201", "4 Avenue de l'Observatoire",
    "Sapporo 060-0810", "FR-75005 Paris",
  ])("%s is an address", (text) => {
    expect(classify(text, false)).toBe("address");
  });

  it("a state or province code with a ZIP code inside a string is an address", () => {
    expect(classify("CA 94305", false)).toBe("address");
    expect(classify("NY 10032", false)).toBe("address");
    expect(classify("MA", false)).toBe("address");
  });

  it("a street number and a street word make an address, whatever the street is named after", () => {
    expect(classify("15 rue de l'École de Médecine", false)).toBe("address");
    expect(classify("1 place de l'Hôpital", false)).toBe("address");
    expect(classify("4 bis avenue de l'Observatoire", false)).toBe("address");
    // A number and an organisation word without a street word is no address.
    expect(classify("3rd Military Medical University", false)).toBe("organisation");
  });

  it("a number glued to letters is an acronym, not a street number", () => {
    expect(classify("3LAM", false)).toBe("organisation");
    expect(classify("4CS", false)).toBe("organisation");
  });

  it("a French address cut into its parts", () => {
    expect(parts("Inserm U1138, 15 rue de l'École de Médecine, 75006 Paris CEDEX 06, France")).toEqual([
      ["organisation", "Inserm U1138"],
      ["address", "15 rue de l'École de Médecine"],
      ["address", "75006 Paris CEDEX 06"],
      ["country", "France"],
    ]);
  });
});

describe("towns, through the isCity callback", () => {
  it("a segment that is only a town is a city when the callback knows it, else it is read as a name", () => {
    expect(classify("Berlin", false, towns("berlin"))).toBe("city");
    expect(classify("Berlin", false)).toBe("organisation");
    expect(classify("Villetaneuse", true, towns("villetaneuse"))).toBe("city");
  });

  it("the callback gets the city key: postcode, CEDEX and arrondissement gone, Saint spelt out", () => {
    const asked: string[] = [];
    const spy: IsCity = (key) => {
      asked.push(key);
      return key === "paris" || key === "saint etienne";
    };
    expect(classify("75005 Paris CEDEX 05", false, spy)).toBe("city");
    expect(classify("42023 St-Étienne Cedex 2", false, spy)).toBe("city");
    expect(asked).toEqual(["paris", "saint etienne"]);
    // The words of the town are counted, not the postcode's nor CEDEX's.
    expect(classify("91191 Gif-sur-Yvette Cedex", false, towns("gif sur yvette"))).toBe("city");
    expect(classify("59655 Villeneuve d'Ascq Cedex", false, towns("villeneuve d ascq"))).toBe("city");
    // Without the callback, the same words are an address.
    expect(classify("75005 Paris CEDEX 05", false)).toBe("address");
  });

  it("five words or more are never a town, whatever the callback says", () => {
    expect(classify("Institut de Physique de Lyon", false, () => true)).toBe("organisation");
    expect(classify("Université de Lyon", false, () => true)).toBe("city");
  });

  it("a country is a country before it is a town", () => {
    expect(classify("Luxembourg", true, towns("luxembourg"))).toBe("country");
    expect(classify("Singapore", false, towns("singapore"))).toBe("country");
  });
});

describe("countries", () => {
  it.each([
    ["Allemagne", "DE"], ["Deutschland", "DE"], ["Germany", "DE"], ["USA", "US"], ["U.S.A.", "US"], ["United States", "US"],
    ["P.R. China", "CN"], ["China", "CN"], ["70000 Viet Nam", "VN"], ["Royaume-Uni", "GB"], ["UK", "GB"], ["España", "ES"],
    ["Schweiz", "CH"], ["Suisse", "CH"], ["Italia", "IT"], ["Brasil", "BR"], ["日本", "JP"], ["Côte d'Ivoire", "CI"],
    ["Republic of Korea", "KR"], ["The Netherlands", "NL"], ["Pays-Bas", "NL"], ["75005 France", "FR"], ["Singapore 117543", "SG"],
  ])("%s names %s, anywhere in the string", (text, code) => {
    expect(asCountry(text, true)).toBe(code);
    expect(asCountry(text, false)).toBe(code);
    expect(classify(text, false)).toBe("country");
  });

  it.each(["Berlin", "Paris", "Université de France", "FR-75005", "10099", "Max Planck Institute", ""])("%j is no country", (text) => {
    expect(asCountry(text, true)).toBeUndefined();
  });

  it("a two-letter state or province code says the country only at the end: \"CA\" last is California, not Canada", () => {
    expect(asCountry("CA", true)).toBe("US");
    expect(asCountry("CA", false)).toBeUndefined();
    expect(asCountry("CA 94305", true)).toBe("US");
    expect(asCountry("ON", true)).toBe("CA");
    expect(asCountry("QC", false)).toBeUndefined();
    expect(countriesIn(splitAffiliation("University of California, Berkeley, CA"))).toEqual(["US"]);
    expect(parts("University of California, Berkeley, CA", towns("berkeley"))).toEqual([
      ["organisation", "University of California"], ["city", "Berkeley"], ["country", "CA"],
    ]);
    // "CA" before the country is the state, and no second country.
    expect(parts("Stanford University, Stanford, CA, USA", towns("stanford"))).toEqual([
      ["organisation", "Stanford University"], ["city", "Stanford"], ["address", "CA"], ["country", "USA"],
    ]);
    expect(countriesIn(splitAffiliation("Stanford University, Stanford, CA, USA"))).toEqual(["US"]);
    expect(countriesIn(splitAffiliation("McGill University, Montreal, QC, Canada"))).toEqual(["CA"]);
    expect(countriesIn(splitAffiliation("University of Toronto, Toronto, ON"))).toEqual(["CA"]);
  });

  it("another two-letter code is a country only as the whole last segment, in capitals", () => {
    expect(asCountry("FR", true)).toBe("FR");
    expect(asCountry("FR", false)).toBeUndefined();
    expect(asCountry("fr", true)).toBeUndefined();
    expect(asCountry("UK", false)).toBe("GB");
    // A unit code or a post box at the end is no country: "EA 4229" would otherwise read as Ceuta and Melilla.
    expect(asCountry("EA 4229", true)).toBeUndefined();
    expect(asCountry("FR 3623", true)).toBeUndefined();
    expect(asCountry("BP 53", true)).toBeUndefined();
    expect(countriesIn(splitAffiliation("Laboratoire X, Université de Poitiers, EA 4229"))).toEqual([]);
    expect(parts("Université de Poitiers, BP 53").at(-1)).toEqual(["address", "BP 53"]);
  });

  it("countriesIn gathers every country named, once each, in the order found", () => {
    const text = "Dept. of Physics, Université Y, Paris, France; Institute Z, Berlin, Germany; Lab W, Lyon, France";
    expect(countriesIn(splitAffiliation(text))).toEqual(["FR", "DE"]);
    expect(countriesIn(splitAffiliation("Hanoi University of Science, 70000 Viet Nam"))).toEqual(["VN"]);
    expect(countriesIn(splitAffiliation("Tsinghua University, Beijing, P.R. China"))).toEqual(["CN"]);
    expect(countriesIn(splitAffiliation("Universität Bonn, Bonn, Deutschland"))).toEqual(["DE"]);
  });
});

describe("Crossref footnote numbers", () => {
  it("a lone number before a capital glues two affiliations: it separates them", () => {
    const text = "Northwestern University 4 Department of Chemistry, , Evanston, IL, USA";
    expect(parts(text, towns("evanston"))).toEqual([
      ["organisation", "Northwestern University"],
      ["department", "Department of Chemistry"],
      ["city", "Evanston"],
      ["address", "IL"],
      ["country", "USA"],
    ]);
    expect(splitAffiliation(text)[1]).toMatchObject({ start: 26, end: 49 });
    expect(textsOf(splitAffiliation("University X 4 Department of Y, , City, ST, USA"))).toEqual(["University X", "Department of Y", "City", "ST", "USA"]);
    expect(countriesIn(splitAffiliation("University X 4 Department of Y, , City, ST, USA"))).toEqual(["US"]);
  });

  it("a lone number before an empty part or a spaced comma is a footnote too", () => {
    expect(textsOf(splitAffiliation("Kyoto University 3 , Kyoto"))).toEqual(["Kyoto University", "Kyoto"]);
    expect(textsOf(splitAffiliation("Kyoto University 3, , Kyoto"))).toEqual(["Kyoto University", "Kyoto"]);
    expect(textsOf(splitAffiliation("Kyoto University 12. , Kyoto"))).toEqual(["Kyoto University", "Kyoto"]);
  });

  it("a number that is part of the name, or of a postcode, stays", () => {
    expect(textsOf(splitAffiliation("Kyoto University 3, Kyoto"))).toEqual(["Kyoto University 3", "Kyoto"]);
    expect(textsOf(splitAffiliation("Peking University, Beijing 100871, China"))).toEqual(["Peking University", "Beijing 100871", "China"]);
  });
});

describe("French numbered universities are kept whole", () => {
  it.each([
    ["Université Paris 13, Villetaneuse", "Université Paris 13"],
    ["Université Lyon 3, 69007 Lyon, France", "Université Lyon 3"],
    ["Université Paris 1 Panthéon-Sorbonne, Paris, France", "Université Paris 1 Panthéon-Sorbonne"],
    ["Univ. Lyon 3 Jean Moulin, Lyon", "Univ. Lyon 3 Jean Moulin"],
    ["Université Toulouse 1 Capitole, Toulouse", "Université Toulouse 1 Capitole"],
    ["Univ Paris 8 Vincennes-Saint-Denis, Saint-Denis", "Univ Paris 8 Vincennes-Saint-Denis"],
    ["University Paris 7 Denis Diderot, Paris", "University Paris 7 Denis Diderot"],
    ["Université Paris-Sud 11, Orsay", "Université Paris-Sud 11"],
    ["Université Paris 13 , Villetaneuse", "Université Paris 13"],
    ["Université Claude Bernard Lyon 1, Villeurbanne", "Université Claude Bernard Lyon 1"],
  ])("%s", (text, university) => {
    const [first] = splitAffiliation(text);
    expect(first).toMatchObject({ text: university, start: 0, end: university.length, kind: "organisation" });
  });

  it("a footnote after a numbered university still separates", () => {
    expect(textsOf(splitAffiliation("Université Paris 13 4 Department of Physics, X"))).toEqual(["Université Paris 13", "Department of Physics", "X"]);
  });

  it("a town's number without a university word before it is a footnote as elsewhere", () => {
    expect(textsOf(splitAffiliation("Institut Curie, Paris 4 Department of Physics"))).toEqual(["Institut Curie", "Paris", "Department of Physics"]);
  });
});

describe("acronyms in parentheses", () => {
  it("a short capitalised word in parentheses after a name is that name's acronym", () => {
    const text = "Institute for Molecular Infection Biology (IMIB), University of Würzburg, Würzburg, Germany";
    const segments = splitAffiliation(text, towns("wurzburg"));
    expect(segments.map((s) => [s.kind, s.text])).toEqual([
      ["organisation", "Institute for Molecular Infection Biology"],
      ["acronym", "IMIB"],
      ["organisation", "University of Würzburg"],
      ["city", "Würzburg"],
      ["country", "Germany"],
    ]);
    expect(segments[1]).toMatchObject({ start: 43, end: 47 });
    expect(parts("Institut de Biologie Intégrative de la Cellule (I2BC), Gif-sur-Yvette")[1]).toEqual(["acronym", "I2BC"]);
    expect(parts("Laboratoire X [LIPN]")[1]).toEqual(["acronym", "LIPN"]);
  });

  it("the same word without parentheses, in first position, in lower case, or too long, is not an acronym", () => {
    expect(parts("Institute X, IMIB")[1]).toEqual(["organisation", "IMIB"]);
    expect(parts("(IMIB) Institute X")[0]).toEqual(["organisation", "IMIB"]);
    expect(parts("Institute X (Inserm)")[1][0]).not.toBe("acronym");
    expect(parts("Institute X (ABCDEFGHIJKLM)")[1][0]).not.toBe("acronym");
    expect(parts("Institute X (UMR 7030)")[1]).toEqual(["organisation", "UMR 7030"]);
  });

  it("a country or a town in parentheses is read as such", () => {
    expect(parts("University of Würzburg (Germany)")[1]).toEqual(["country", "Germany"]);
    expect(parts("Institut Pasteur (Paris)", towns("paris"))[1]).toEqual(["city", "Paris"]);
  });
});

describe("conjunctions", () => {
  const split = (text: string, kind: SegmentKind = "organisation") => splitConjunctions(seg(text, kind)).map((p) => [p.kind, p.text]);

  it.each([
    "Department of Electrical and Computer Engineering",
    "Department of Physics and Astronomy",
    "Institute of Science and Technology Austria",
    "Laboratoire de Physique et Chimie",
    "Institute of Physics and institute of chemistry",
    "Input/Output Laboratory",
  ])("%s stays whole", (text) => {
    expect(split(text)).toEqual([["organisation", text]]);
  });

  it("splits where both sides are organisations, with spans", () => {
    const text = "Bijvoet Center for Biomolecular Research and Utrecht Institute for Pharmaceutical Sciences";
    const pieces = splitConjunctions(seg(text, "organisation", 10));
    expect(pieces.map((p) => p.text)).toEqual(["Bijvoet Center for Biomolecular Research", "Utrecht Institute for Pharmaceutical Sciences"]);
    expect(pieces.map((p) => [p.start, p.end])).toEqual([[10, 50], [55, 100]]);
    expect(split("Center for Neural Science and Institute for Advanced Study")).toEqual([
      ["organisation", "Center for Neural Science"], ["organisation", "Institute for Advanced Study"],
    ]);
    expect(split("Institut für Physik und Zentrum für Astronomie")).toEqual([
      ["organisation", "Institut für Physik"], ["organisation", "Zentrum für Astronomie"],
    ]);
  });

  it("splits more than two, each with its own span", () => {
    const text = "Laboratoire A et Institut B & Université C";
    const pieces = splitConjunctions(seg(text));
    expect(pieces.map((p) => p.text)).toEqual(["Laboratoire A", "Institut B", "Université C"]);
    for (const p of pieces) expect(text.slice(p.start, p.end)).toBe(p.text);
  });

  it("\"X at Y\" and \"A/B\" are two organisations", () => {
    expect(split("Max Planck Institute for Astronomy at Heidelberg University")).toEqual([
      ["organisation", "Max Planck Institute for Astronomy"], ["organisation", "Heidelberg University"],
    ]);
    expect(split("CNRS/Université Paris-Saclay")).toEqual([["organisation", "CNRS"], ["organisation", "Université Paris-Saclay"]]);
    expect(split("Inserm / Sorbonne Université")).toEqual([["organisation", "Inserm"], ["organisation", "Sorbonne Université"]]);
  });

  it("\"corporate member of A and B\": both are context", () => {
    const text = "Charité – Universitätsmedizin Berlin, corporate member of Freie Universität Berlin and Humboldt-Universität zu Berlin, Berlin, Germany";
    const segments = splitAffiliation(text, towns("berlin"));
    expect(segments.map((s) => s.kind)).toEqual(["organisation", "organisation", "context", "city", "country"]);
    const context = segments[2];
    const pieces = splitConjunctions(context);
    expect(pieces.map((p) => [p.kind, p.text])).toEqual([
      ["context", "corporate member of Freie Universität Berlin"],
      ["context", "Humboldt-Universität zu Berlin"],
    ]);
    for (const p of pieces) expect(text.slice(p.start, p.end)).toBe(p.text);
    // Split alone, the right side would be an organisation.
    expect(split("Freie Universität Berlin and Humboldt-Universität zu Berlin").map(([k]) => k)).toEqual(["organisation", "organisation"]);
  });

  it.each([
    "member of the Helmholtz Association", "Now at University of Oxford", "also at CNRS", "formerly Institut X", "a member of Université Paris-Saclay",
  ])("%s is context", (text) => {
    expect(classify(text, false)).toBe("context");
  });
});

describe("a sub-unit glued after its organisation", () => {
  it("the organisation before it is a head, and nothing ending on a stop word", () => {
    const s = seg("University of Pittsburgh School of Medicine", "organisation", 5);
    expect(headsBeforeSubunit(s)).toEqual([{ text: "University of Pittsburgh", start: 5, end: 29, kind: "organisation" }]);
  });

  it("a sub-unit's own capitalised name comes off too", () => {
    const heads = headsBeforeSubunit(seg("University of Pennsylvania Perelman School of Medicine")).map((h) => h.text);
    expect(heads).toContain("University of Pennsylvania");
    expect(heads.every((h) => !/\b(of|de|for)$/.test(h))).toBe(true);
    expect(headsBeforeSubunit(seg("Universität Leipzig Medizinische Fakultät")).map((h) => h.text)).toEqual([]);
    expect(headsBeforeSubunit(seg("Université de Strasbourg Faculté de Médecine")).map((h) => h.text)).toEqual(["Université de Strasbourg"]);
  });

  it("no head without an organisation word before the sub-unit, nor without a sub-unit", () => {
    expect(headsBeforeSubunit(seg("Harvard Medical School"))).toEqual([]);
    expect(headsBeforeSubunit(seg("University of Oxford"))).toEqual([]);
  });
});

describe("unit codes stay organisations", () => {
  it.each([
    "UMR 7030", "UMR7030", "CNRS UMR 7030", "LIPN UMR 7030", "Inserm U1138", "INSERM U 1138", "UMRS 1138", "EA 4229", "UPR 3346",
    "UAR 3286", "UMS 3468", "USR 3337", "FR 3623", "IRL 2958", "UMI 3157", "GDR 3333", "CIC 1402", "CIC1402",
  ])("%s", (text) => {
    expect(classify(text, false)).toBe("organisation");
    expect(classify(text, true)).toBe("organisation");
  });

  it("in a string, the code is its own organisation segment", () => {
    expect(parts("LIPN, CNRS UMR 7030, Université Sorbonne Paris Nord, 93430 Villetaneuse, France", towns("villetaneuse"))).toEqual([
      ["organisation", "LIPN"],
      ["organisation", "CNRS UMR 7030"],
      ["organisation", "Université Sorbonne Paris Nord"],
      ["city", "93430 Villetaneuse"],
      ["country", "France"],
    ]);
  });
});

describe("whole strings", () => {
  it("the example at the top of segments.ts", () => {
    const text = "Dept. of Physics, Humboldt-Universität zu Berlin, 10099 Berlin, Germany";
    expect(splitAffiliation(text, towns("berlin"))).toEqual([
      { text: "Dept. of Physics", start: 0, end: 16, kind: "department" },
      { text: "Humboldt-Universität zu Berlin", start: 18, end: 48, kind: "organisation" },
      { text: "10099 Berlin", start: 50, end: 62, kind: "city" },
      { text: "Germany", start: 64, end: 71, kind: "country" },
    ]);
  });

  it("separators: semicolons, pipes, brackets, newlines, tabs and spaced dashes, but not hyphens inside names", () => {
    expect(textsOf(splitAffiliation("A Institute; B University | C Lab\nD Centre\tE College – F School — G"))).toEqual([
      "A Institute", "B University", "C Lab", "D Centre", "E College", "F School", "G",
    ]);
    expect(textsOf(splitAffiliation("Aix-Marseille Université, Gif-sur-Yvette"))).toEqual(["Aix-Marseille Université", "Gif-sur-Yvette"]);
  });

  it("punctuation around a part is trimmed off its span", () => {
    const text = "-- Université de Lille. : ...Institut X...";
    const segments = splitAffiliation(text);
    expect(textsOf(segments)).toEqual(["Université de Lille. : ...Institut X"]);
    expect(text.slice(segments[0].start, segments[0].end)).toBe(segments[0].text);
  });
});
