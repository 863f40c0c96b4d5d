// Open each workbook given with ExcelJS and SheetJS; print one JSON line a file:
// {"file", "exceljs": {"ok", "sheets", "error"}, "sheetjs": {...}}
const ExcelJS = require('exceljs');
const XLSX = require('xlsx');

(async () => {
  for (const file of process.argv.slice(2)) {
    const out = { file };
    try {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      out.exceljs = { ok: true, sheets: wb.worksheets.map((w) => w.name) };
    } catch (e) {
      out.exceljs = { ok: false, error: String(e && e.message) };
    }
    try {
      const wb = XLSX.readFile(file);
      out.sheetjs = { ok: true, sheets: wb.SheetNames };
    } catch (e) {
      out.sheetjs = { ok: false, error: String(e && e.message) };
    }
    console.log(JSON.stringify(out));
  }
})();
