package org.slapgrid.recipes.template.jinja;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.buildout.python.PyTuple;

/** Python's {@code 'fmt' % args}, {@code str.format} and {@code format(value, spec)}. */
final class Format {

    private Format() {
    }

    // ---- printf-style ----

    static String percent(String fmt, Object args) {
        return percent(fmt, args, false);
    }

    /** {@code escape}: a Markup format (markupsafe escapes what %s and %r insert). */
    static String percent(String fmt, Object args, boolean escape) {
        List<Object> positional = args instanceof PyTuple t ? t : List.of(args == null ? NONE : args);
        Map<?, ?> mapping = args instanceof Map<?, ?> m ? m : null;
        // CPython takes any non-tuple object with items (a dict, a list) as a mapping: unused, it is no error.
        boolean mappingLike = mapping != null || args instanceof List && !(args instanceof PyTuple);
        StringBuilder out = new StringBuilder();
        int next = 0;
        int i = 0;
        while (i < fmt.length()) {
            char c = fmt.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i >= fmt.length()) {
                throw PyException.value("incomplete format");
            }
            Object value = null;
            boolean named = false;
            if (fmt.charAt(i) == '(') {
                int end = fmt.indexOf(')', i);
                if (mapping == null) {
                    throw PyException.type("format requires a mapping");
                }
                Object key = fmt.substring(i + 1, end);
                if (!mapping.containsKey(key)) {
                    throw new PyException("KeyError", Py.repr(key));
                }
                value = mapping.get(key);
                named = true;
                i = end + 1;
            }
            String flags = "";
            while (i < fmt.length() && "-+ #0".indexOf(fmt.charAt(i)) >= 0) {
                flags += fmt.charAt(i++);
            }
            int width = -1;
            if (i < fmt.length() && fmt.charAt(i) == '*') {
                width = (int) Py.toLong(positional.get(next++));
                i++;
            }
            int start = i;
            while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) {
                i++;
            }
            if (i > start) {
                width = Integer.parseInt(fmt.substring(start, i));
            }
            int precision = -1;
            if (i < fmt.length() && fmt.charAt(i) == '.') {
                i++;
                start = i;
                while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) {
                    i++;
                }
                precision = i > start ? Integer.parseInt(fmt.substring(start, i)) : 0;
            }
            if (i >= fmt.length()) {
                throw PyException.value("incomplete format");
            }
            char type = fmt.charAt(i++);
            if (type == '%') {
                out.append('%');
                continue;
            }
            if (!named) {
                if (mapping != null && !(args instanceof PyTuple)) {
                    value = args;
                    next++;
                } else {
                    if (next >= positional.size()) {
                        throw PyException.type("not enough arguments for format string");
                    }
                    value = positional.get(next++);
                }
                if (value == NONE) {
                    value = null;
                }
            }
            String text = switch (type) {
                case 's' -> escape ? Filters.escape(value) : Py.str(value);
                case 'r', 'a' -> escape ? Filters.escape(value instanceof Values.Markup ? value : Py.repr(value)) : Py.repr(value);
                case 'd', 'i', 'u' -> {
                    if (!Py.isNumber(value)) {
                        throw PyException.type("%" + type + " format: a real number is required, not " + Py.typeName(value));
                    }
                    yield signed(Py.isInt(value) ? Py.big(value).toString() : Long.toString((long) Py.toDouble(value)), flags);
                }
                case 'f', 'F', 'e', 'E', 'g', 'G' -> signed(floatText(Py.toDouble(number(value, type)), type, precision < 0 ? 6 : precision, flags.contains("#")), flags);
                case 'x', 'X', 'o' -> {
                    long n = Py.toLong(number(value, type));
                    String digits = type == 'o' ? Long.toOctalString(Math.abs(n)) : Long.toHexString(Math.abs(n));
                    if (flags.contains("#")) {
                        digits = (type == 'o' ? "0o" : "0x") + digits;
                    }
                    digits = type == 'X' ? digits.toUpperCase() : digits;
                    yield signed((n < 0 ? "-" : "") + digits, flags);
                }
                case 'c' -> Py.isInt(value) ? new String(Character.toChars((int) Py.toLong(value))) : Py.str(value);
                default -> throw PyException.value("unsupported format character '" + type + "'");
            };
            if ((type == 's' || type == 'r') && precision >= 0 && text.length() > precision) {
                text = text.substring(0, precision);
            }
            if (width > text.length()) {
                if (flags.contains("-")) {
                    text = text + " ".repeat(width - text.length());
                } else if (flags.contains("0") && "sr".indexOf(type) < 0) {
                    int signLen = text.startsWith("-") || text.startsWith("+") || text.startsWith(" ") ? 1 : 0;
                    text = text.substring(0, signLen) + "0".repeat(width - text.length()) + text.substring(signLen);
                } else {
                    text = " ".repeat(width - text.length()) + text;
                }
            }
            out.append(text);
        }
        if (!mappingLike && next < positional.size()) {
            throw PyException.type("not all arguments converted during string formatting");
        }
        return out.toString();
    }

    private static final Object NONE = new Object();

    private static Object number(Object value, char type) {
        if (!Py.isNumber(value)) {
            throw PyException.type("must be real number, not " + Py.typeName(value));
        }
        return value;
    }

    private static String signed(String text, String flags) {
        if (!text.startsWith("-")) {
            if (flags.contains("+")) {
                return "+" + text;
            }
            if (flags.contains(" ")) {
                return " " + text;
            }
        }
        return text;
    }

    static String floatText(double d, char type, int precision, boolean alternate) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            String s = Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
            return Character.isUpperCase(type) ? s.toUpperCase() : s;
        }
        switch (Character.toLowerCase(type)) {
            case 'f':
                return new BigDecimal(d).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
            case 'e': {
                String s = exponent(d, precision);
                return type == 'E' ? s.toUpperCase() : s;
            }
            default: {
                int p = precision == 0 ? 1 : precision;
                if (d == 0) {
                    return "0";
                }
                String e = exponent(d, p - 1);
                int exp = Integer.parseInt(e.substring(e.indexOf('e') + 1));
                String s;
                if (exp >= -4 && exp < p) {
                    s = new BigDecimal(d).setScale(p - 1 - exp, RoundingMode.HALF_EVEN).toPlainString();
                    if (!alternate && s.contains(".")) {
                        s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
                    }
                } else {
                    String mantissa = e.substring(0, e.indexOf('e'));
                    if (!alternate && mantissa.contains(".")) {
                        mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
                    }
                    s = mantissa + e.substring(e.indexOf('e'));
                }
                return type == 'G' ? s.toUpperCase() : s;
            }
        }
    }

    private static String exponent(double d, int precision) {
        if (d == 0) {
            return (precision > 0 ? "0." + "0".repeat(precision) : "0") + "e+00";
        }
        BigDecimal b = new BigDecimal(d);
        int exp = b.precision() - b.scale() - 1;
        BigDecimal mantissa = b.movePointLeft(exp).setScale(precision, RoundingMode.HALF_EVEN);
        if (mantissa.abs().compareTo(BigDecimal.TEN) >= 0) {
            exp++;
            mantissa = b.movePointLeft(exp).setScale(precision, RoundingMode.HALF_EVEN);
        }
        return mantissa.toPlainString() + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    // ---- str.format ----

    static String format(String fmt, List<Object> args, Map<String, Object> kwargs) {
        StringBuilder out = new StringBuilder();
        int auto = 0;
        int i = 0;
        while (i < fmt.length()) {
            char c = fmt.charAt(i);
            if (c == '{') {
                if (i + 1 < fmt.length() && fmt.charAt(i + 1) == '{') {
                    out.append('{');
                    i += 2;
                    continue;
                }
                int depth = 1;
                int j = i + 1;
                while (j < fmt.length() && depth > 0) {
                    if (fmt.charAt(j) == '{') {
                        depth++;
                    } else if (fmt.charAt(j) == '}') {
                        depth--;
                    }
                    j++;
                }
                if (depth > 0) {
                    throw PyException.value("expected '}' before end of string");
                }
                String field = fmt.substring(i + 1, j - 1);
                String spec = "";
                String conversion = null;
                int colon = field.indexOf(':');
                if (colon >= 0) {
                    spec = format(field.substring(colon + 1), args, kwargs);
                    field = field.substring(0, colon);
                }
                int bang = field.indexOf('!');
                if (bang >= 0) {
                    conversion = field.substring(bang + 1);
                    field = field.substring(0, bang);
                }
                int cut = 0;
                while (cut < field.length() && field.charAt(cut) != '.' && field.charAt(cut) != '[') {
                    cut++;
                }
                String head = field.substring(0, cut);
                Object value;
                if (head.isEmpty()) {
                    if (auto >= args.size()) {
                        throw new PyException("IndexError", "Replacement index " + auto + " out of range for positional args tuple");
                    }
                    value = args.get(auto++);
                } else if (Character.isDigit(head.charAt(0))) {
                    int index = Integer.parseInt(head);
                    if (index >= args.size()) {
                        throw new PyException("IndexError", "Replacement index " + index + " out of range for positional args tuple");
                    }
                    value = args.get(index);
                } else {
                    if (!kwargs.containsKey(head)) {
                        throw new PyException("KeyError", Py.repr(head));
                    }
                    value = kwargs.get(head);
                }
                String rest = field.substring(cut);
                while (!rest.isEmpty()) {
                    if (rest.charAt(0) == '.') {
                        int end = 1;
                        while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
                            end++;
                        }
                        value = JinjaOps.getattr(value, rest.substring(1, end));
                        rest = rest.substring(end);
                    } else {
                        int end = rest.indexOf(']');
                        String key = rest.substring(1, end);
                        value = JinjaOps.getitem(value, key.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(key) : key);
                        rest = rest.substring(end + 1);
                    }
                }
                if ("r".equals(conversion)) {
                    value = Py.repr(value);
                } else if ("s".equals(conversion)) {
                    value = Py.str(value);
                }
                out.append(spec(value, spec));
                i = j;
            } else if (c == '}') {
                if (i + 1 < fmt.length() && fmt.charAt(i + 1) == '}') {
                    out.append('}');
                    i += 2;
                    continue;
                }
                throw PyException.value("Single '}' encountered in format string");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** format(value, spec): [[fill]align][sign][#][0][width][,][.precision][type]. */
    static String spec(Object value, String spec) {
        Py.check(value);
        if (spec.isEmpty()) {
            return Py.str(value);
        }
        int i = 0;
        char fill = ' ';
        char align = 0;
        if (spec.length() >= 2 && "<>^=".indexOf(spec.charAt(1)) >= 0) {
            fill = spec.charAt(0);
            align = spec.charAt(1);
            i = 2;
        } else if ("<>^=".indexOf(spec.charAt(0)) >= 0) {
            align = spec.charAt(0);
            i = 1;
        }
        char sign = '-';
        if (i < spec.length() && "+- ".indexOf(spec.charAt(i)) >= 0) {
            sign = spec.charAt(i++);
        }
        boolean alternate = false;
        if (i < spec.length() && spec.charAt(i) == '#') {
            alternate = true;
            i++;
        }
        if (i < spec.length() && spec.charAt(i) == '0') {
            if (align == 0) {
                fill = '0';
                align = '=';
            }
            i++;
        }
        int start = i;
        while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
            i++;
        }
        int width = i > start ? Integer.parseInt(spec.substring(start, i)) : 0;
        boolean grouping = false;
        if (i < spec.length() && (spec.charAt(i) == ',' || spec.charAt(i) == '_')) {
            grouping = true;
            i++;
        }
        int precision = -1;
        if (i < spec.length() && spec.charAt(i) == '.') {
            i++;
            start = i;
            while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
                i++;
            }
            precision = Integer.parseInt(spec.substring(start, i));
        }
        char type = i < spec.length() ? spec.charAt(i) : 0;
        String text;
        boolean numeric = Py.isNumber(value) && !(value instanceof Boolean && type == 0);
        if (Py.isStr(value) || value == null || !Py.isNumber(value) && type == 0) {
            if (type != 0 && type != 's') {
                throw PyException.value("Unknown format code '" + type + "' for object of type '" + Py.typeName(value) + "'");
            }
            text = Py.str(value);
            if (precision >= 0 && text.length() > precision) {
                text = text.substring(0, precision);
            }
            numeric = false;
        } else if (type == 'd' || type == 'x' || type == 'X' || type == 'o' || type == 'b' || type == 'c'
                || (type == 0 && Py.isInt(value))) {
            if (!Py.isInt(value)) {
                throw PyException.value("Unknown format code '" + type + "' for object of type 'float'");
            }
            java.math.BigInteger n = Py.big(value);
            String digits = switch (type) {
                case 'x', 'X' -> n.abs().toString(16);
                case 'o' -> n.abs().toString(8);
                case 'b' -> n.abs().toString(2);
                case 'c' -> new String(Character.toChars(n.intValueExact()));
                default -> n.abs().toString();
            };
            if (grouping && (type == 'd' || type == 0)) {
                digits = group(digits);
            }
            if (alternate && type != 'd' && type != 0) {
                digits = "0" + Character.toLowerCase(type) + digits;
            }
            if (type == 'X') {
                digits = digits.toUpperCase();
            }
            text = (n.signum() < 0 ? "-" : sign == '+' ? "+" : sign == ' ' ? " " : "") + digits;
        } else {
            double d = Py.toDouble(value);
            if (type == 0 && precision < 0) {
                text = Py.floatRepr(Math.abs(d));
            } else if (type == '%') {
                text = floatText(Math.abs(d) * 100, 'f', precision < 0 ? 6 : precision, alternate) + "%";
            } else {
                char t = type == 0 ? 'g' : type;
                text = floatText(Math.abs(d), t, precision < 0 ? 6 : precision, alternate);
            }
            if (grouping) {
                int dot = text.indexOf('.');
                text = group(dot < 0 ? text : text.substring(0, dot)) + (dot < 0 ? "" : text.substring(dot));
            }
            text = (d < 0 || (d == 0 && 1 / d < 0) ? "-" : sign == '+' ? "+" : sign == ' ' ? " " : "") + text;
        }
        if (align == 0) {
            align = numeric ? '>' : '<';
        }
        int len = text.codePointCount(0, text.length());
        if (width > len) {
            int pad = width - len;
            String f = String.valueOf(fill);
            text = switch (align) {
                case '<' -> text + f.repeat(pad);
                case '^' -> f.repeat(pad / 2) + text + f.repeat(pad - pad / 2);
                case '=' -> {
                    int signLen = !text.isEmpty() && "+- ".indexOf(text.charAt(0)) >= 0 ? 1 : 0;
                    yield text.substring(0, signLen) + f.repeat(pad) + text.substring(signLen);
                }
                default -> f.repeat(pad) + text;
            };
        }
        return text;
    }

    private static String group(String digits) {
        StringBuilder b = new StringBuilder();
        int n = digits.length();
        for (int i = 0; i < n; i++) {
            if (i > 0 && (n - i) % 3 == 0) {
                b.append(',');
            }
            b.append(digits.charAt(i));
        }
        return b.toString();
    }
}
