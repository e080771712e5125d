package org.slapgrid.recipes.template.jinja;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.buildout.python.PyRange;
import org.slapgrid.recipes.template.jinja.Values.Markup;
import org.slapgrid.recipes.template.jinja.Values.PyCallable;
import org.slapgrid.recipes.template.jinja.Values.Undefined;

/** Jinja2's builtin tests ({@code x is defined}, {@code n is divisibleby 3}...). */
final class Tests {

    private Tests() {
    }

    private static final Set<String> NAMES = Set.of("boolean", "callable", "defined", "undefined", "divisibleby",
            "eq", "equalto", "==", "ne", "!=", "escaped", "even", "odd", "false", "true", "float", "integer", "ge",
            ">=", "gt", ">", "greaterthan", "le", "<=", "lt", "<", "lessthan", "in", "iterable", "lower", "upper",
            "mapping", "none", "number", "sameas", "sequence", "string", "filter", "test");

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    static boolean apply(String name, Object v, List<Object> args, Map<String, Object> kw, Scope scope) {
        Object arg = args.isEmpty() ? null : args.get(0);
        return switch (name) {
            case "defined" -> !(v instanceof Undefined);
            case "undefined" -> v instanceof Undefined;
            case "none" -> v == null;
            case "boolean" -> v instanceof Boolean;
            case "false" -> Boolean.FALSE.equals(v);
            case "true" -> Boolean.TRUE.equals(v);
            case "integer" -> v instanceof Long || v instanceof Integer;
            case "float" -> v instanceof Double;
            case "number" -> Py.isNumber(v);
            case "string" -> Py.isStr(v);
            case "mapping" -> v instanceof Map;
            case "sequence" -> Py.isStr(v) || v instanceof List || v instanceof Map || v instanceof PyRange;
            case "iterable" -> Py.isStr(v) || v instanceof Collection || v instanceof Map || v instanceof Iterable;
            case "callable" -> v instanceof PyCallable;
            case "escaped" -> v instanceof Markup;
            case "lower" -> Py.str(v).equals(Py.str(v).toLowerCase());
            case "upper" -> Py.str(v).equals(Py.str(v).toUpperCase());
            case "even" -> Py.toLong(JinjaOps.mod(v, 2L)) == 0;
            case "odd" -> Py.toLong(JinjaOps.mod(v, 2L)) == 1;
            case "divisibleby" -> Py.eq(JinjaOps.mod(v, arg), 0L);
            case "eq", "equalto", "==" -> Py.eq(v, arg);
            case "ne", "!=" -> !Py.eq(v, arg);
            case "ge", ">=" -> Py.compare(v, arg, ">=") >= 0;
            case "gt", ">", "greaterthan" -> Py.compare(v, arg, ">") > 0;
            case "le", "<=" -> Py.compare(v, arg, "<=") <= 0;
            case "lt", "<", "lessthan" -> Py.compare(v, arg, "<") < 0;
            case "in" -> Py.contains(arg, v);
            case "sameas" -> v == arg || v != null && arg != null && (v instanceof Boolean || v instanceof Long) && v.equals(arg);
            case "filter" -> Filters.exists(Py.str(v));
            case "test" -> exists(Py.str(v));
            default -> throw PyException.type("no test named " + name);
        };
    }
}
