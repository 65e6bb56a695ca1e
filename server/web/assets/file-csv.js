// CSV in the browser for the /file page: the header of a file before it is
// sent (to offer its columns), and the table written back for the resolved
// export. Only the first 64 KB are read: a 500 MB file is never loaded into
// the page. Detection follows the server's (app/csv-io.ts) so that the
// column names offered are the ones the server will find: BOM, else valid
// UTF-8, else Windows-1252; the delimiter among ; , tab | that splits the
// header and most following lines into the same number of fields.
(function (root) {
  "use strict";
  const SAMPLE_BYTES = 64 * 1024;
  const SNIFF_LINES = 50;
  const DELIMITERS = [";", ",", "\t", "|"];

  /** Text of a sample of bytes, and the encoding it was read with. */
  function decode(bytes) {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder("utf-8").decode(bytes.subarray(3), { stream: true }), encoding: "UTF-8", bom: true };
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2), { stream: true }), encoding: "UTF-16LE", bom: true };
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2), { stream: true }), encoding: "UTF-16BE", bom: true };
    try {
      // stream: a character cut by the end of the sample is not an error.
      return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true }), encoding: "UTF-8", bom: false };
    } catch {
      return { text: new TextDecoder("windows-1252").decode(bytes), encoding: "Windows-1252", bom: false };
    }
  }

  /** Lines cut outside quotes (a quoted line break stays in its field); blank lines dropped. */
  function logicalLines(text, max) {
    const lines = [];
    let inQuotes = false;
    let start = 0;
    for (let i = 0; i < text.length && lines.length < max; i++) {
      const c = text[i];
      if (c === '"') inQuotes = !inQuotes;
      else if (!inQuotes && (c === "\n" || c === "\r")) {
        lines.push(text.slice(start, i));
        if (c === "\r" && text[i + 1] === "\n") i++;
        start = i + 1;
      }
    }
    if (lines.length < max && start < text.length) lines.push(text.slice(start));
    return lines.filter((l) => l.trim() !== "");
  }

  function countOutside(line, d) {
    let n = 0;
    let inQuotes = false;
    for (const c of line) {
      if (c === '"') inQuotes = !inQuotes;
      else if (!inQuotes && c === d) n++;
    }
    return n;
  }

  function detectDelimiter(text) {
    const lines = logicalLines(text, SNIFF_LINES);
    let best;
    for (const d of DELIMITERS) {
      const counts = lines.map((l) => countOutside(l, d));
      const header = counts[0] || 0;
      if (!header) continue;
      const consistent = counts.slice(1).filter((n) => n === header).length;
      if (!best || consistent > best.consistent || (consistent === best.consistent && header > best.header)) best = { d, consistent, header };
    }
    return best ? best.d : ",";
  }

  /**
   * Records of a text: quoted fields with doubled quotes and line breaks.
   * `complete` is false when the text is a sample cut mid-file: its last
   * record may be cut too and is dropped. A quote that opens a field and
   * never closes sets `unclosed` on the result (the rest would be one field).
   */
  function parseRecords(text, delimiter, max, complete) {
    const records = [];
    let record = [];
    let field = "";
    let inQuotes = false;
    let quoted = false;
    let i = 0;
    const endRecord = () => {
      record.push(field);
      // Blank lines and records of empty cells (Excel's ";;;") are not rows, as on the server.
      if (record.some((c) => c !== "")) records.push(record);
      record = [];
      field = "";
      quoted = false;
    };
    while (i < text.length && records.length < max) {
      const c = text[i];
      if (inQuotes) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          inQuotes = false;
        } else field += c;
        i++;
        continue;
      }
      if (c === '"' && field === "" && !quoted) {
        inQuotes = true;
        quoted = true;
      } else if (c === delimiter) {
        record.push(field);
        field = "";
        quoted = false;
      } else if (c === "\n" || c === "\r") {
        endRecord();
        if (c === "\r" && text[i + 1] === "\n") i++;
      } else field += c;
      i++;
    }
    if (records.length < max && complete && (field !== "" || record.length)) endRecord();
    records.unclosed = inQuotes && complete;
    return records;
  }

  /** Cells that are values, not column names: a header-less file starts with a row of data. */
  const VALUE = [
    /^[+-]?\d+([.,]\d+)?$/, // a number, a code postal, a SIREN or SIRET
    /^\d{7}[A-Z]$/i, // UAI
    /^\d{9}[A-Z]$/i, // RNSR
    /^Q\d+$/, // Wikidata
    /^0[a-z0-9]{6}\d{2}$/, // ROR
    /^https?:\/\//i,
  ];
  const looksLikeValue = (cell) => VALUE.some((re) => re.test(cell.trim()));

  /**
   * The header of a File and a sample of its rows:
   * {header, rows, delimiter, encoding, bom, complete} or {error: key, cell}.
   */
  async function readHeader(file) {
    const bytes = new Uint8Array(await file.slice(0, SAMPLE_BYTES).arrayBuffer());
    if (!bytes.length) return { error: "emptyFile" };
    const { text, encoding, bom } = decode(bytes);
    // A zip (xlsx), a PDF, an image: NUL bytes never occur in CSV text (UTF-16 is decoded above).
    if (text.includes("\u0000")) return { error: "notText" };
    if (text.trim() === "") return { error: "emptyFile" };
    const complete = file.size <= SAMPLE_BYTES;
    const delimiter = detectDelimiter(text);
    const records = parseRecords(text, delimiter, SNIFF_LINES + 1, complete);
    // Only a whole file can be known to leave a quote open; a longer one is the server's to check (it names the line).
    if (records.unclosed) return { error: "unclosedQuote" };
    const [header, ...rows] = records;
    if (!header || header.every((h) => h.trim() === "")) return { error: "blankHeader" };
    const value = header.find((h) => looksLikeValue(h));
    if (value !== undefined) return { error: "noHeader", cell: value };
    if (complete && !rows.length) return { error: "noRows" };
    return { header, rows, delimiter, encoding, bom, complete };
  }

  /** A CSV line: cells quoted when they hold the delimiter, a quote, a line break or edge spaces. */
  function csvLine(cells, delimiter) {
    return cells
      .map((v) => {
        const s = v == null ? "" : String(v);
        return s.includes(delimiter) || /["\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
      })
      .join(delimiter);
  }

  function csvText(header, rows, delimiter) {
    const out = [csvLine(header, delimiter)];
    for (const r of rows) out.push(csvLine(r, delimiter));
    return out.join("\r\n") + "\r\n";
  }

  root.refxCsv = { readHeader, decode, detectDelimiter, parseRecords, csvLine, csvText, SAMPLE_BYTES };
})(globalThis);
