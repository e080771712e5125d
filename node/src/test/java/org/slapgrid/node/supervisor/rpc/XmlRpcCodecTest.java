package org.slapgrid.node.supervisor.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slapgrid.node.supervisor.SupervisorException;

class XmlRpcCodecTest {

    @Test
    void encodesACallWithEscapedStringsAndTypedValues() {
        String xml = new String(XmlRpcCodec.encodeCall("supervisor.startProcess", "a<b>&\"c", 5, true,
                List.of("x"), Map.of("k", 1)), StandardCharsets.UTF_8);
        assertThat(xml).contains("<methodName>supervisor.startProcess</methodName>")
                .contains("<string>a&lt;b&gt;&amp;&quot;c</string>")
                .contains("<int>5</int>")
                .contains("<boolean>1</boolean>")
                .contains("<array><data><value><string>x</string></value></data></array>")
                .contains("<struct><member><name>k</name><value><int>1</int></value></member></struct>");
    }

    @Test
    void decodesStructsArraysAndScalarsAsSupervisordSendsThem() {
        String response = """
                <?xml version='1.0'?>
                <methodResponse><params><param><value><array><data>
                <value><struct>
                <member><name>name</name><value><string>slappart0_db</string></value></member>
                <member><name>pid</name><value><int>4242</int></value></member>
                <member><name>state</name><value><int>20</int></value></member>
                <member><name>spawnerr</name><value><string></string></value></member>
                <member><name>description</name><value>pid 4242, uptime 0:00:03</value></member>
                </struct></value>
                <value><boolean>0</boolean></value>
                <value><double>1.5</double></value>
                </data></array></value></param></params></methodResponse>
                """;
        List<?> values = (List<?>) XmlRpcCodec.decodeResponse("m", response.getBytes(StandardCharsets.UTF_8));
        Map<?, ?> struct = (Map<?, ?>) values.get(0);
        assertThat(struct.get("name")).isEqualTo("slappart0_db");
        assertThat(struct.get("pid")).isEqualTo(4242);
        assertThat(struct.get("spawnerr")).isEqualTo("");
        assertThat(struct.get("description")).isEqualTo("pid 4242, uptime 0:00:03");
        assertThat(values.get(1)).isEqualTo(false);
        assertThat(values.get(2)).isEqualTo(1.5);
        ProcessInfo info = ProcessInfo.from(struct);
        assertThat(info.state()).isEqualTo(ProcessState.RUNNING);
        assertThat(info.pid()).isEqualTo(4242);
    }

    @Test
    void aFaultBecomesAnExceptionWithItsCodeAndString() {
        String response = "<?xml version='1.0'?><methodResponse><fault><value><struct>"
                + "<member><name>faultCode</name><value><int>10</int></value></member>"
                + "<member><name>faultString</name><value><string>BAD_NAME: nope</string></value></member>"
                + "</struct></value></fault></methodResponse>";
        assertThatThrownBy(() -> XmlRpcCodec.decodeResponse("supervisor.startProcess",
                response.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(XmlRpcFault.class, f -> {
                    assertThat(f.faultCode()).isEqualTo(XmlRpcFault.BAD_NAME);
                    assertThat(f.faultString()).isEqualTo("BAD_NAME: nope");
                })
                .hasMessageContaining("supervisor.startProcess");
    }

    @Test
    void refusesDoctypesAndGarbage() {
        String xxe = "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
                + "<methodResponse><params><param><value>&e;</value></param></params></methodResponse>";
        assertThatThrownBy(() -> XmlRpcCodec.decodeResponse("m", xxe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SupervisorException.class);
        assertThatThrownBy(() -> XmlRpcCodec.decodeResponse("m", "not xml".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unreadable response");
    }

    @Test
    void httpBodiesAreFoundByLengthByChunksOrAtEndOfStream() throws IOException {
        byte[] withLength = "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII);
        assertThat(UnixSocketHttp.HttpResponse.bodyIfComplete(withLength)).asString().isEqualTo("hello");
        byte[] partial = "HTTP/1.0 200 OK\r\nContent-Length: 9\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII);
        assertThat(UnixSocketHttp.HttpResponse.bodyIfComplete(partial)).isNull();
        assertThat(UnixSocketHttp.HttpResponse.bodyAtEof(partial)).isNull();
        byte[] chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(UnixSocketHttp.HttpResponse.bodyIfComplete(chunked)).asString().isEqualTo("hello");
        byte[] untilClose = "HTTP/1.1 200 OK\r\nServer: Medusa\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII);
        assertThat(UnixSocketHttp.HttpResponse.bodyIfComplete(untilClose)).isNull();
        assertThat(UnixSocketHttp.HttpResponse.bodyAtEof(untilClose)).asString().isEqualTo("hello");
        byte[] error = "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> UnixSocketHttp.HttpResponse.bodyIfComplete(error))
                .hasMessageContaining("401 Unauthorized");
    }
}
