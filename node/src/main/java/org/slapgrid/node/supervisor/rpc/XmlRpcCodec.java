package org.slapgrid.node.supervisor.rpc;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.slapgrid.node.supervisor.SupervisorException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Encodes XML-RPC calls and decodes responses, with the JDK's XML parser only.
 *
 * <p>Hand-written on purpose: the only Java XML-RPC library (Apache XML-RPC) is unmaintained and
 * cannot speak over a UNIX socket, and the subset supervisord uses (string, int, boolean, double,
 * array, struct, base64, nil) fits in this class. Java values map as: String, Integer (Long when
 * it does not fit), Boolean, Double, List, Map (insertion-ordered), byte[] for base64, null.
 */
final class XmlRpcCodec {
    private XmlRpcCodec() {
    }

    static byte[] encodeCall(String method, Object... params) {
        StringBuilder xml = new StringBuilder(256);
        xml.append("<?xml version=\"1.0\"?>\n<methodCall><methodName>")
                .append(escape(method)).append("</methodName><params>");
        for (Object param : params) {
            xml.append("<param>");
            encodeValue(xml, param);
            xml.append("</param>");
        }
        xml.append("</params></methodCall>\n");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void encodeValue(StringBuilder xml, Object value) {
        xml.append("<value>");
        if (value == null) {
            xml.append("<nil/>");
        } else if (value instanceof String s) {
            xml.append("<string>").append(escape(s)).append("</string>");
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            xml.append("<int>").append(value).append("</int>");
        } else if (value instanceof Long l) {
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("XML-RPC int out of range: " + l);
            }
            xml.append("<int>").append(l).append("</int>");
        } else if (value instanceof Boolean b) {
            xml.append("<boolean>").append(b ? '1' : '0').append("</boolean>");
        } else if (value instanceof Double || value instanceof Float) {
            xml.append("<double>").append(value).append("</double>");
        } else if (value instanceof byte[] bytes) {
            xml.append("<base64>").append(Base64.getEncoder().encodeToString(bytes)).append("</base64>");
        } else if (value instanceof List<?> list) {
            xml.append("<array><data>");
            for (Object item : list) {
                encodeValue(xml, item);
            }
            xml.append("</data></array>");
        } else if (value instanceof Map<?, ?> map) {
            xml.append("<struct>");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                xml.append("<member><name>").append(escape(String.valueOf(e.getKey()))).append("</name>");
                encodeValue(xml, e.getValue());
                xml.append("</member>");
            }
            xml.append("</struct>");
        } else {
            throw new IllegalArgumentException("no XML-RPC type for " + value.getClass().getName());
        }
        xml.append("</value>");
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Decodes a {@code <methodResponse>}: returns its single value, or throws the fault it carries.
     */
    static Object decodeResponse(String method, byte[] body) {
        Element root = parse(method, body).getDocumentElement();
        if (!"methodResponse".equals(root.getTagName())) {
            throw new SupervisorException("XML-RPC " + method + ": expected <methodResponse>, got <"
                    + root.getTagName() + ">");
        }
        Element fault = child(root, "fault");
        if (fault != null) {
            Object value = decodeValue(requireChild(fault, "value", method));
            if (value instanceof Map<?, ?> m && m.get("faultCode") instanceof Number code) {
                throw new XmlRpcFault(method, code.intValue(), String.valueOf(m.get("faultString")));
            }
            throw new SupervisorException("XML-RPC " + method + ": malformed fault " + value);
        }
        Element params = requireChild(root, "params", method);
        Element param = requireChild(params, "param", method);
        return decodeValue(requireChild(param, "value", method));
    }

    /**
     * One parser per thread: DocumentBuilderFactory.newInstance() does a service lookup over
     * the whole classpath (milliseconds per call), and builders are not thread-safe.
     */
    private static final ThreadLocal<DocumentBuilder> PARSER = ThreadLocal.withInitial(XmlRpcCodec::newParser);

    /** Errors become exceptions, without the default handler's "[Fatal Error]" line on stderr. */
    private static final org.xml.sax.ErrorHandler SILENT = new org.xml.sax.ErrorHandler() {
        @Override
        public void warning(org.xml.sax.SAXParseException e) {
        }

        @Override
        public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXParseException {
            throw e;
        }

        @Override
        public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXParseException {
            throw e;
        }
    };

    private static DocumentBuilder newParser() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // The answer comes from a local daemon, but refuse DTDs and entities anyway (XXE).
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(SILENT);
            return builder;
        } catch (Exception e) {
            throw new IllegalStateException("no usable XML parser in this JDK", e);
        }
    }

    private static Document parse(String method, byte[] body) {
        DocumentBuilder builder = PARSER.get();
        try {
            return builder.parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            throw new SupervisorException("XML-RPC " + method + ": unreadable response: " + e.getMessage(), e);
        } finally {
            builder.reset();
            builder.setErrorHandler(SILENT);
        }
    }

    private static Object decodeValue(Element value) {
        Element typed = firstElement(value);
        if (typed == null) {
            return value.getTextContent(); // a bare <value>text</value> is a string
        }
        String text = typed.getTextContent();
        switch (typed.getTagName()) {
            case "string":
                return text;
            case "int":
            case "i4":
            case "i8": {
                long l = Long.parseLong(text.trim());
                return (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) ? (Object) (int) l : (Object) l;
            }
            case "boolean":
                return "1".equals(text.trim()) || "true".equalsIgnoreCase(text.trim());
            case "double":
                return Double.parseDouble(text.trim());
            case "nil":
                return null;
            case "base64":
                return Base64.getMimeDecoder().decode(text.trim());
            case "dateTime.iso8601":
                return text.trim();
            case "array": {
                List<Object> list = new ArrayList<>();
                Element data = child(typed, "data");
                if (data != null) {
                    for (Node n = data.getFirstChild(); n != null; n = n.getNextSibling()) {
                        if (n instanceof Element e && "value".equals(e.getTagName())) {
                            list.add(decodeValue(e));
                        }
                    }
                }
                return list;
            }
            case "struct": {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Node n = typed.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element member && "member".equals(member.getTagName())) {
                        Element name = child(member, "name");
                        Element v = child(member, "value");
                        if (name != null && v != null) {
                            map.put(name.getTextContent(), decodeValue(v));
                        }
                    }
                }
                return map;
            }
            default:
                throw new SupervisorException("XML-RPC: unknown value type <" + typed.getTagName() + ">");
        }
    }

    private static Element firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && tag.equals(e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    private static Element requireChild(Element parent, String tag, String method) {
        Element e = child(parent, tag);
        if (e == null) {
            throw new SupervisorException("XML-RPC " + method + ": <" + parent.getTagName()
                    + "> has no <" + tag + ">");
        }
        return e;
    }
}
