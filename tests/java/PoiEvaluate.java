// Apache POI judges our workbooks: evaluate every formula cell with XSSFFormulaEvaluator.
//
//   java -cp <poi jars> tests/java/PoiEvaluate.java book.xlsx [more.xlsx ...]
//
// Single-file program (Java 11+ source launcher, no build step; tests/support/poi.py finds the jars).
// Prints one JSON line per file
//   {"file", "opened": true, "sheets": [...]}   or   {"file", "opened": false, "error"}
// then one JSON line per formula cell
//   {"file", "sheet", "cell", "formula", "result", "cached", "unsupported", "exception"}
// "result" (POI's value) and "cached" (the value stored in the file) are {"type", "value"} with type
// number | string | boolean | error | blank and error values as text ("#DIV/0!"). Each cell is
// evaluated on its own: "result" is null when POI cannot evaluate it, "unsupported" then names what
// POI does not implement, else "exception" tells what went wrong. Output is ASCII-only JSON.

import java.io.FileInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.poi.ss.formula.eval.NotImplementedException;
import org.apache.poi.ss.formula.eval.NotImplementedFunctionException;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.CellValue;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFFormulaEvaluator;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

public class PoiEvaluate {

    public static void main(String[] args) {
        for (String path : args) {
            evaluateFile(path);
        }
    }

    static void evaluateFile(String path) {
        XSSFWorkbook wb;
        try (InputStream in = new FileInputStream(path)) {
            wb = new XSSFWorkbook(in);
        } catch (Exception e) {
            System.out.println(obj("file", str(path), "opened", "false", "error", str(describe(e))));
            return;
        }
        List<String> names = new ArrayList<>();
        for (Sheet sheet : wb) {
            names.add(str(sheet.getSheetName()));
        }
        System.out.println(obj("file", str(path), "opened", "true", "sheets", "[" + String.join(",", names) + "]"));

        XSSFFormulaEvaluator evaluator = wb.getCreationHelper().createFormulaEvaluator();
        for (Sheet sheet : wb) {
            for (Row row : sheet) {
                for (Cell cell : row) {
                    if (cell.getCellType() == CellType.FORMULA) {
                        System.out.println(evaluateCell(path, evaluator, (XSSFCell) cell));
                    }
                }
            }
        }
    }

    static String evaluateCell(String path, XSSFFormulaEvaluator evaluator, XSSFCell cell) {
        String result = "null", unsupported = "null", exception = "null";
        try {
            result = value(evaluator.evaluate(cell));
        } catch (RuntimeException e) {
            String function = unsupportedFunction(e);
            if (function != null) {
                unsupported = str(function);
            } else {
                exception = str(describe(e));
            }
        }
        return obj("file", str(path), "sheet", str(cell.getSheet().getSheetName()),
                   "cell", str(cell.getAddress().formatAsString()), "formula", str(cell.getCellFormula()),
                   "result", result, "cached", cached(cell), "unsupported", unsupported, "exception", exception);
    }

    /** What POI does not implement, if that is why evaluation failed (else null): the function's
     *  name, or POI's own words for a partly implemented one ("SUBTOTAL - with 'exclude hidden values' option"). */
    static String unsupportedFunction(Throwable e) {
        String what = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NotImplementedFunctionException) {
                return ((NotImplementedFunctionException) t).getFunctionName();
            }
            if (t instanceof NotImplementedException) {
                what = t.getMessage();  // the innermost one names the function
            }
        }
        return what;
    }

    static String value(CellValue v) {
        if (v == null) {
            return typed("blank", "null");
        }
        switch (v.getCellType()) {
            case NUMERIC: return typed("number", num(v.getNumberValue()));
            case STRING: return typed("string", str(v.getStringValue()));
            case BOOLEAN: return typed("boolean", String.valueOf(v.getBooleanValue()));
            case ERROR: return typed("error", str(FormulaError.forInt(v.getErrorValue()).getString()));
            default: return typed("blank", "null");
        }
    }

    /** The value the writer cached in the file (what Excel shows before recalculating); blank when
     *  the file stores none (an empty <v>, which POI itself would read as the number 0). */
    static String cached(XSSFCell cell) {
        String raw = cell.getRawValue();
        if (raw == null || raw.isEmpty()) {
            return typed("blank", "null");
        }
        switch (cell.getCachedFormulaResultType()) {
            case NUMERIC: return typed("number", num(cell.getNumericCellValue()));
            case STRING: return typed("string", str(cell.getStringCellValue()));
            case BOOLEAN: return typed("boolean", String.valueOf(cell.getBooleanCellValue()));
            case ERROR: return typed("error", str(FormulaError.forInt(cell.getErrorCellValue()).getString()));
            default: return typed("blank", "null");
        }
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(sb.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return sb.toString();
    }

    // --- tiny JSON writer ---

    static String typed(String type, String value) {
        return obj("type", str(type), "value", value);
    }

    /** {"k1": v1, ...} from alternating keys and already-encoded JSON values. */
    static String obj(String... kv) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            sb.append(i == 0 ? "" : ", ").append(str(kv[i])).append(": ").append(kv[i + 1]);
        }
        return sb.append("}").toString();
    }

    static String num(double d) {
        return Double.isFinite(d) ? Double.toString(d) : str(Double.toString(d));
    }

    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
