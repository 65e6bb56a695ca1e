// Wikidata country items and their ISO 3166-1 alpha-2 codes, for Wikidata
// entity JSON, which gives a country (P17) as an item and not as a code.
// The SPARQL download asks for the code (P297) directly; this table covers
// the entity-JSON path for the countries ESR partners are most often in.
export const COUNTRY_ISO_BY_QID: Readonly<Record<string, string>> = {
  Q142: "FR", Q183: "DE", Q145: "GB", Q30: "US", Q38: "IT", Q29: "ES", Q39: "CH", Q31: "BE", Q55: "NL",
  Q16: "CA", Q17: "JP", Q148: "CN", Q159: "RU", Q155: "BR", Q414: "AR", Q96: "MX", Q408: "AU", Q668: "IN",
  Q40: "AT", Q36: "PL", Q45: "PT", Q27: "IE", Q34: "SE", Q20: "NO", Q35: "DK", Q33: "FI", Q41: "GR",
  Q213: "CZ", Q28: "HU", Q218: "RO", Q43: "TR", Q801: "IL", Q79: "EG", Q1028: "MA", Q262: "DZ", Q948: "TN",
  Q1009: "CM", Q1041: "SN", Q258: "ZA", Q884: "KR", Q865: "TW", Q664: "NZ", Q298: "CL", Q739: "CO",
  Q419: "PE", Q32: "LU", Q794: "IR", Q843: "PK", Q334: "SG", Q833: "MY", Q252: "ID", Q881: "VN", Q869: "TH",
  Q928: "PH", Q212: "UA", Q219: "BG", Q224: "HR", Q215: "SI", Q214: "SK", Q37: "LT", Q211: "LV", Q191: "EE",
  Q189: "IS", Q229: "CY", Q233: "MT", Q403: "RS", Q1008: "CI", Q1019: "MG", Q117: "GH", Q1033: "NG",
  Q114: "KE", Q115: "ET", Q851: "SA", Q878: "AE", Q817: "KW", Q846: "QA", Q822: "LB", Q810: "JO", Q796: "IQ",
};
