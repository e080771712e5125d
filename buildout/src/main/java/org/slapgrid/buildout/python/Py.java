package org.slapgrid.buildout.python;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * Python's value semantics over Java values, the project's one owner of them (Jinja2 templates
 * and buildout's section conditions use it): None is null, bool Boolean, int Long (BigInteger
 * beyond), float Double, str String (or a {@link PyStr}), list {@link PyList}, tuple
 * {@link PyTuple}, dict an insertion-ordered Map, set a Set, range {@link PyRange}; other types
 * are {@link PyObject}s. str(), repr(), truth, ==, ordering (str vs int refused), arithmetic
 * (floor division, modulo with the sign of the divisor), membership, iteration, indexing and
 * slicing, as CPython 3.11. Errors are {@link PyException}s with Python's class and words.
 */
public final class Py {

    private Py() {
    }

    public static Object parseInt(String digits) {
        return normalize(new java.math.BigInteger(digits));
    }

    /** Python's int is unbounded: Long while it fits, BigInteger beyond. */
    public static Object normalize(java.math.BigInteger b) {
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    public static java.math.BigInteger big(Object v) {
        return v instanceof java.math.BigInteger b ? b : java.math.BigInteger.valueOf(toLong(v));
    }

    private static boolean isBig(Object a, Object b) {
        return a instanceof java.math.BigInteger || b instanceof java.math.BigInteger;
    }

    private static PyException type(String message) {
        return PyException.type(message);
    }

    /** The value, once it said it may be used (a Jinja2 undefined fails here). */
    public static Object check(Object value) {
        if (value instanceof PyObject p) {
            p.check();
        }
        return value;
    }

    /** Python's names of the built-in types, the more specific first (a tuple is a List too). */
    private static final List<Map.Entry<Class<?>, String>> TYPE_NAMES = List.of(
            Map.entry(String.class, "str"),
            Map.entry(Boolean.class, "bool"),
            Map.entry(Long.class, "int"),
            Map.entry(Integer.class, "int"),
            Map.entry(java.math.BigInteger.class, "int"),
            Map.entry(Double.class, "float"),
            Map.entry(PyTuple.class, "tuple"),
            Map.entry(List.class, "list"),
            Map.entry(Map.class, "dict"),
            Map.entry(Set.class, "set"),
            Map.entry(PyRange.class, "range"));

    public static String typeName(Object v) {
        if (v == null) {
            return "NoneType";
        }
        for (Map.Entry<Class<?>, String> t : TYPE_NAMES) {
            if (t.getKey().isInstance(v)) {
                return t.getValue();
            }
        }
        if (v instanceof DictView d) {
            return "dict_" + d.kind();
        }
        if (v instanceof PyObject p) {
            return p.typeName();
        }
        return v.getClass().getSimpleName();
    }

    // ---- truth, str, repr ----

    public static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        if (v instanceof java.math.BigInteger b) {
            return b.signum() != 0;
        }
        if (v instanceof Double d) {
            return d != 0.0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        long n = containerLength(v);   // a container is true when not empty, as Python's len()
        if (n >= 0) {
            return n > 0;
        }
        if (v instanceof PyObject p) {
            return p.truthy();
        }
        return true;
    }

    public static String str(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof PyObject p) {
            return p.str();
        }
        return repr(v);
    }

    public static String repr(Object v) {
        StringBuilder out = new StringBuilder();
        repr(v, out);
        return out.toString();
    }

    private static void repr(Object v, StringBuilder out) {
        if (v == null) {
            out.append("None");
        } else if (v instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (v instanceof Long || v instanceof Integer || v instanceof java.math.BigInteger) {
            out.append(v);
        } else if (v instanceof Double d) {
            out.append(floatRepr(d));
        } else if (v instanceof String s) {
            stringRepr(s, out);
        } else if (v instanceof PyObject p) {
            out.append(p.repr());
        } else if (v instanceof PyTuple t) {
            out.append('(');
            for (int i = 0; i < t.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                repr(t.get(i), out);
            }
            out.append(t.size() == 1 ? ",)" : ")");
        } else if (v instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                repr(l.get(i), out);
            }
            out.append(']');
        } else if (v instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                repr(e.getKey(), out);
                out.append(": ");
                repr(e.getValue(), out);
            }
            out.append('}');
        } else if (v instanceof Set<?> s) {
            if (s.isEmpty()) {
                out.append("set()");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Object o : s) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                repr(o, out);
            }
            out.append('}');
        } else if (v instanceof PyRange r) {
            out.append("range(").append(r.start()).append(", ").append(r.stop());
            if (r.step() != 1) {
                out.append(", ").append(r.step());
            }
            out.append(')');
        } else if (v instanceof DictView d) {
            out.append("dict_").append(d.kind()).append('(');
            repr(toList(d), out);
            out.append(')');
        } else {
            out.append(v);
        }
    }

    public static void stringRepr(String s, StringBuilder out) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(quote);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c == quote || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else if (c >= 0x80 && !isPrintable(c)) {
                out.append(c <= 0xff ? String.format("\\x%02x", c) : c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
            } else {
                out.appendCodePoint(c);
            }
        }
        out.append(quote);
    }

    private static boolean isPrintable(int c) {
        int type = Character.getType(c);
        return !(type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || (type == Character.SPACE_SEPARATOR && c != ' '));
    }

    /** Python's repr of a float: shortest round-trip digits, exponent form outside [1e-4, 1e16). */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = shortest(d);
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale(); // position of the first digit
        String sign = d < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            BigDecimal plain = exact.abs();
            String text = plain.toPlainString();
            if (!text.contains(".")) {
                text += ".0";
            }
            return sign + text;
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }

    /**
     * The fewest significant digits that read back as {@code d} (Python's repr; Java 17's
     * Double.toString is not always the shortest, e.g. 4.9E-324 for 5e-324).
     */
    private static BigDecimal shortest(double d) {
        BigDecimal value = new BigDecimal(d);
        for (int digits = 1; digits < 17; digits++) {
            BigDecimal candidate = value.round(new java.math.MathContext(digits, java.math.RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) {
                return candidate.stripTrailingZeros();
            }
        }
        return value.round(new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    // ---- numbers ----

    public static boolean isInt(Object v) {
        return v instanceof Long || v instanceof Boolean || v instanceof Integer || v instanceof java.math.BigInteger;
    }

    public static boolean isNumber(Object v) {
        return isInt(v) || v instanceof Double;
    }

    public static long toLong(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof java.math.BigInteger b) {
            throw new PyException("OverflowError", "Python int too large to convert to C ssize_t: " + b);
        }
        throw PyException.type("'" + typeName(v) + "' object cannot be interpreted as an integer");
    }

    public static double toDouble(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof java.math.BigInteger b) {
            double d = b.doubleValue();
            if (Double.isInfinite(d)) {
                throw new PyException("OverflowError", "int too large to convert to float");
            }
            return d;
        }
        return toLong(v);
    }

    private static PyException unsupported(String op, Object a, Object b) {
        return PyException.type("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '" + typeName(b) + "'");
    }

    /**
     * {@code a op b} over Python's numbers, once both may be used ({@link #check}): two ints
     * exactly (long while it fits, BigInteger beyond), else as floats; null when either is not a
     * number (the operator's other types are then the caller's).
     */
    private static Object numeric(Object a, Object b, LongBinaryOperator exact, BinaryOperator<java.math.BigInteger> big,
                                  DoubleBinaryOperator real) {
        check(a);
        check(b);
        if (isInt(a) && isInt(b)) {
            if (!isBig(a, b)) {
                try {
                    return exact.applyAsLong(toLong(a), toLong(b));
                } catch (ArithmeticException overflow) {
                    // on in BigInteger below
                }
            }
            return normalize(big.apply(big(a), big(b)));
        }
        if (isNumber(a) && isNumber(b)) {
            return real.applyAsDouble(toDouble(a), toDouble(b));
        }
        return null;
    }

    public static Object add(Object a, Object b) {
        Object sum = numeric(a, b, Math::addExact, java.math.BigInteger::add, Double::sum);
        if (sum != null) {
            return sum;
        }
        if (isStr(a) && isStr(b)) {
            return str(a) + str(b);
        }
        if (isStr(a)) {
            throw PyException.type("can only concatenate str (not \"" + typeName(b) + "\") to str");
        }
        if (a instanceof PyTuple t && b instanceof PyTuple u) {
            List<Object> all = new ArrayList<>(t);
            all.addAll(u);
            return new PyTuple(all);
        }
        if (a instanceof List<?> l && !(a instanceof PyTuple) && b instanceof List<?> m && !(b instanceof PyTuple)) {
            PyList all = new PyList(l);
            all.addAll(m);
            return all;
        }
        if (a instanceof List<?> && !(a instanceof PyTuple)) {
            throw PyException.type("can only concatenate list (not \"" + typeName(b) + "\") to list");
        }
        throw unsupported("+", a, b);
    }

    public static boolean isStr(Object v) {
        return v instanceof String || v instanceof PyStr;
    }

    public static Object sub(Object a, Object b) {
        Object difference = numeric(a, b, Math::subtractExact, java.math.BigInteger::subtract, (x, y) -> x - y);
        if (difference != null) {
            return difference;
        }
        if (a instanceof Set<?> s && b instanceof Set<?> t) {
            Set<Object> out = new java.util.LinkedHashSet<>(s);
            out.removeAll(t);
            return out;
        }
        throw unsupported("-", a, b);
    }

    public static Object mul(Object a, Object b) {
        Object product = numeric(a, b, Math::multiplyExact, java.math.BigInteger::multiply, (x, y) -> x * y);
        if (product != null) {
            return product;
        }
        if (isStr(a) && isInt(b)) {
            return str(a).repeat((int) Math.max(0, toLong(b)));
        }
        if (isInt(a) && isStr(b)) {
            return str(b).repeat((int) Math.max(0, toLong(a)));
        }
        if (a instanceof List<?> l && isInt(b) || isInt(a) && b instanceof List<?>) {
            List<?> list = a instanceof List<?> la ? la : (List<?>) b;
            long n = toLong(a instanceof List<?> ? b : a);
            List<Object> out = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                out.addAll(list);
            }
            return list instanceof PyTuple ? new PyTuple(out) : new PyList(out);
        }
        throw PyException.type("can't multiply sequence by non-int of type '" + typeName(isStr(a) || a instanceof List ? b : a) + "'");
    }

    public static Object truediv(Object a, Object b) {
        check(a);
        check(b);
        if (!isNumber(a) || !isNumber(b)) {
            throw unsupported("/", a, b);
        }
        double d = floatDivisor(b, isInt(a) && isInt(b) ? "division by zero" : "float division by zero");
        return toDouble(a) / d;
    }

    /** The divisor of an int {@code //} or {@code %}: ZeroDivisionError when it is 0. */
    private static void intDivisor(Object b) {
        if (b instanceof java.math.BigInteger i ? i.signum() == 0 : toLong(b) == 0) {
            throw new PyException("ZeroDivisionError", "integer division or modulo by zero");
        }
    }

    /** The divisor of a float {@code /}, {@code //} or {@code %} as a double: ZeroDivisionError ({@code message}) when 0. */
    private static double floatDivisor(Object b, String message) {
        double d = toDouble(b);
        if (d == 0) {
            throw new PyException("ZeroDivisionError", message);
        }
        return d;
    }

    public static Object floordiv(Object a, Object b) {
        check(a);
        check(b);
        if (isInt(a) && isInt(b)) {
            intDivisor(b);
            if (isBig(a, b)) {
                java.math.BigInteger[] qr = big(a).divideAndRemainder(big(b));
                java.math.BigInteger q = qr[0];
                if (qr[1].signum() != 0 && qr[1].signum() != big(b).signum()) {
                    q = q.subtract(java.math.BigInteger.ONE);
                }
                return normalize(q);
            }
            if (toLong(a) == Long.MIN_VALUE && toLong(b) == -1) {
                return normalize(big(a).negate());
            }
            return Math.floorDiv(toLong(a), toLong(b));
        }
        if (isNumber(a) && isNumber(b)) {
            double d = floatDivisor(b, "float floor division by zero");
            return Math.floor(toDouble(a) / d);
        }
        throw unsupported("//", a, b);
    }

    public static Object mod(Object a, Object b) {
        check(a);
        check(b);
        if (isInt(a) && isInt(b)) {
            intDivisor(b);
            if (isBig(a, b)) {
                java.math.BigInteger r = big(a).mod(big(b).abs());
                return normalize(big(b).signum() < 0 && r.signum() != 0 ? r.add(big(b)) : r);
            }
            return Math.floorMod(toLong(a), toLong(b));
        }
        if (isNumber(a) && isNumber(b)) {
            double x = toDouble(a);
            double y = floatDivisor(b, "float modulo");
            double r = x % y;
            if (r != 0 && (r < 0) != (y < 0)) {
                r += y;
            } else if (r == 0) {
                r = Math.copySign(0.0, y);   // Python: the sign of the divisor, -0.0 included
            }
            return r;
        }
        throw unsupported("%", a, b);
    }

    public static Object pow(Object a, Object b) {
        check(a);
        check(b);
        if (isInt(a) && isInt(b) && big(b).signum() >= 0) {
            if (big(b).bitLength() > 20) {
                throw new PyException("OverflowError", "exponent too large");
            }
            return normalize(big(a).pow(big(b).intValueExact()));
        }
        if (isNumber(a) && isNumber(b)) {
            double x = toDouble(a);
            double y = toDouble(b);
            if (x == 0 && y < 0) {
                throw new PyException("ZeroDivisionError", "0.0 cannot be raised to a negative power");
            }
            double r = Math.pow(x, y);
            if (Double.isInfinite(r) && !Double.isInfinite(x) && !Double.isInfinite(y)) {
                throw new PyException("OverflowError", "(34, 'Numerical result out of range')");
            }
            if (Double.isNaN(r) && x < 0 && !Double.isNaN(y)) {
                throw PyException.value("complex numbers are not supported (negative number to a fractional power)");
            }
            return r;
        }
        throw unsupported("** or pow()", a, b);
    }

    public static Object neg(Object a) {
        check(a);
        if (isInt(a)) {
            return normalize(big(a).negate());
        }
        if (a instanceof Double d) {
            return -d;
        }
        throw PyException.type("bad operand type for unary -: '" + typeName(a) + "'");
    }

    public static Object pos(Object a) {
        check(a);
        if (isInt(a)) {
            return normalize(big(a));
        }
        if (a instanceof Double) {
            return a;
        }
        throw PyException.type("bad operand type for unary +: '" + typeName(a) + "'");
    }

    // ---- comparison ----

    public static boolean eq(Object a, Object b) {
        check(a);
        check(b);
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (isNumber(a) && isNumber(b)) {
            if (isInt(a) && isInt(b)) {
                return isBig(a, b) ? big(a).equals(big(b)) : toLong(a) == toLong(b);
            }
            if (isBig(a, b)) {
                return new BigDecimal(big(isInt(a) ? a : b)).compareTo(new BigDecimal(toDoubleUnchecked(isInt(a) ? b : a))) == 0;
            }
            return toDouble(a) == toDouble(b);
        }
        if (isStr(a) && isStr(b)) {
            return str(a).equals(str(b));
        }
        if (a instanceof PyTuple != b instanceof PyTuple) {
            return false;
        }
        if (a instanceof List<?> l && b instanceof List<?> m) {
            if (l.size() != m.size()) {
                return false;
            }
            for (int i = 0; i < l.size(); i++) {
                if (!eq(l.get(i), m.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> m && b instanceof Map<?, ?> n) {
            if (m.size() != n.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!n.containsKey(e.getKey()) || !eq(e.getValue(), n.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Set<?> s && b instanceof Set<?> t) {
            return s.equals(t);
        }
        return a.equals(b);
    }

    /** Python's ordering: numbers with numbers, str with str, sequences item by item; else TypeError. */
    public static int compare(Object a, Object b, String op) {
        check(a);
        check(b);
        if (isNumber(a) && isNumber(b)) {
            if (isInt(a) && isInt(b)) {
                return isBig(a, b) ? big(a).compareTo(big(b)) : Long.compare(toLong(a), toLong(b));
            }
            if (isBig(a, b)) {
                return exact(a).compareTo(exact(b));
            }
            return Double.compare(toDouble(a), toDouble(b));
        }
        if (isStr(a) && isStr(b)) {
            return compareCodePoints(str(a), str(b));
        }
        if (a instanceof List<?> l && b instanceof List<?> m && (a instanceof PyTuple == b instanceof PyTuple)) {
            for (int i = 0; i < Math.min(l.size(), m.size()); i++) {
                if (!eq(l.get(i), m.get(i))) {
                    return compare(l.get(i), m.get(i), op);
                }
            }
            return Integer.compare(l.size(), m.size());
        }
        throw PyException.type("'" + op + "' not supported between instances of '" + typeName(a) + "' and '" + typeName(b) + "'");
    }

    private static double toDoubleUnchecked(Object v) {
        return v instanceof Double d ? d : big(v).doubleValue();
    }

    private static BigDecimal exact(Object v) {
        return v instanceof Double d ? new BigDecimal(d) : new BigDecimal(big(v));
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int c = a.codePointAt(i);
            int d = b.codePointAt(j);
            if (c != d) {
                return Integer.compare(c, d);
            }
            i += Character.charCount(c);
            j += Character.charCount(d);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    public static boolean contains(Object container, Object item) {
        check(container);
        if (isStr(container)) {
            if (!isStr(item)) {
                throw PyException.type("'in <string>' requires string as left operand, not " + typeName(item));
            }
            return str(container).contains(str(item));
        }
        if (container instanceof Map<?, ?> m) {
            return m.containsKey(key(check(item)));
        }
        if (container instanceof DictView d && d.kind().equals("keys")) {
            return d.map().containsKey(key(check(item)));
        }
        if (container instanceof Set<?> s) {
            return s.contains(key(check(item)));
        }
        if (container instanceof Iterable) {
            // Python compares item by item: an undefined item fails only if there is something to compare.
            for (Object o : iterate(container)) {
                if (eq(o, item)) {
                    return true;
                }
            }
            return false;
        }
        throw PyException.type("argument of type '" + typeName(container) + "' is not iterable");
    }

    /** A value as a dict key: ints normalised to Long so 1 and 1 hash alike. */
    public static Object key(Object k) {
        if (k instanceof Integer i) {
            return (long) i;
        }
        if (k instanceof PyStr s) {
            return s.text();
        }
        if (k instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return (long) (double) d;
        }
        if (k instanceof List<?> && !(k instanceof PyTuple)) {
            throw PyException.type("unhashable type: 'list'");
        }
        if (k instanceof Map) {
            throw PyException.type("unhashable type: 'dict'");
        }
        return k;
    }

    // ---- iteration, length ----

    @SuppressWarnings("unchecked")
    public static Iterable<Object> iterate(Object v) {
        check(v);
        if (v instanceof String s) {
            return () -> s.codePoints().mapToObj(c -> (Object) new String(Character.toChars(c))).iterator();
        }
        if (v instanceof PyStr s) {
            return iterate(s.text());
        }
        if (v instanceof Map<?, ?> m) {
            return (Iterable<Object>) (Iterable<?>) m.keySet();
        }
        if (v instanceof Iterable<?> i) {
            return (Iterable<Object>) i;
        }
        if (v instanceof Iterator<?> it) {
            return () -> (Iterator<Object>) it;
        }
        throw PyException.type("'" + typeName(v) + "' object is not iterable");
    }

    public static PyList toList(Object v) {
        PyList out = new PyList();
        for (Object o : iterate(v)) {
            out.add(o);
        }
        return out;
    }

    public static long len(Object v) {
        check(v);
        if (v instanceof String s) {
            return s.codePointCount(0, s.length());
        }
        if (v instanceof PyStr s) {
            return len(s.text());
        }
        long n = containerLength(v);
        if (n >= 0) {
            return n;
        }
        throw PyException.type("object of type '" + typeName(v) + "' has no len()");
    }

    /** The length of a list, tuple, dict, set, range or dict view; -1 for anything else. */
    private static long containerLength(Object v) {
        if (v instanceof Collection<?> c) {
            return c.size();
        }
        if (v instanceof Map<?, ?> m) {
            return m.size();
        }
        if (v instanceof PyRange r) {
            return r.length();
        }
        if (v instanceof DictView d) {
            return d.map().size();
        }
        return -1;
    }

    // ---- indexing and slicing ----

    /**
     * {@code seq[i]} for a list, tuple, str or range, with negative indices from the end;
     * IndexError out of range, TypeError for what is not a sequence or an index that is not an int.
     */
    public static Object index(Object seq, Object i) {
        check(seq);
        check(i);
        if (!(seq instanceof List<?> || isStr(seq) || seq instanceof PyRange)) {
            throw type("'" + typeName(seq) + "' object is not subscriptable");
        }
        if (!isInt(i)) {
            throw type(typeName(seq) + " indices must be integers or slices, not " + typeName(i));
        }
        long n = len(seq);
        long k = toLong(i);
        if (k < 0) {
            k += n;
        }
        if (k < 0 || k >= n) {
            throw new PyException("IndexError", (seq instanceof PyRange ? "range object" : typeName(seq)) + " index out of range");
        }
        if (seq instanceof List<?> l) {
            return l.get((int) k);
        }
        if (seq instanceof PyRange r) {
            return r.at(k);
        }
        String s = str(seq);
        int at = s.offsetByCodePoints(0, (int) k);
        return new String(Character.toChars(s.codePointAt(at)));
    }

    public static Object slice(Object obj, PySlice s) {
        long n = len(obj);
        long step = s.step() == null ? 1 : toLong(s.step());
        if (step == 0) {
            throw PyException.value("slice step cannot be zero");
        }
        long start;
        long stop;
        if (step > 0) {
            start = s.start() == null ? 0 : clamp(toLong(s.start()), n, 0, n);
            stop = s.stop() == null ? n : clamp(toLong(s.stop()), n, 0, n);
        } else {
            start = s.start() == null ? n - 1 : clamp(toLong(s.start()), n, -1, n - 1);
            stop = s.stop() == null ? -1 : clamp(toLong(s.stop()), n, -1, n - 1);
        }
        if (obj instanceof PyRange r) {
            // A slice of a range is a range, as in Python: range(10)[2:5] is range(2, 5).
            return new PyRange(r.start() + start * r.step(), r.start() + stop * r.step(), r.step() * step);
        }
        List<Object> items = new ArrayList<>();
        List<Object> all = obj instanceof List<?> l ? new ArrayList<>(l) : toList(obj);
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            items.add(all.get((int) i));
        }
        if (isStr(obj)) {
            StringBuilder b = new StringBuilder();
            items.forEach(c -> b.append((String) c));
            return b.toString();
        }
        return obj instanceof PyTuple ? new PyTuple(items) : new PyList(items);
    }

    private static long clamp(long i, long n, long low, long high) {
        if (i < 0) {
            i += n;
        }
        return Math.max(low, Math.min(high, i));
    }
}
