package org.slapgrid.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** client.cfg as the master's README shows it (comments after values too), and the mistakes refused by line. */
class IniFileTest {
    @TempDir
    Path tmp;

    private IniFile read(String text) throws IOException {
        Path f = tmp.resolve("client.cfg");
        Files.writeString(f, text);
        return IniFile.read(f);
    }

    @Test
    void readsTheReadmesExample() throws IOException {
        IniFile ini = read("""
                # the console's settings
                [slapconsole]
                master_url = https://master.example.org:5080/
                token_file = ~/.slapos/token        # a file holding your API token (keep it mode 0600)
                ca_file = ~/.slapos/master-ca.pem   ; only for a self-signed / private-CA master
                """);
        assertThat(ini.get("slapconsole", "master_url")).isEqualTo("https://master.example.org:5080/");
        assertThat(ini.get("slapconsole", "token_file")).isEqualTo("~/.slapos/token");
        assertThat(ini.get("slapconsole", "ca_file")).isEqualTo("~/.slapos/master-ca.pem");
        assertThat(ini.get("slapconsole", "nothing")).isNull();
        assertThat(ini.get("other", "master_url")).isNull();
    }

    @Test
    void theLastOfARepeatedOptionWins() throws IOException {
        assertThat(read("[slapconsole]\nmaster_url = http://a/\nmaster_url = http://b/\n").get("slapconsole", "master_url"))
                .isEqualTo("http://b/");
    }

    @Test
    void mistakesNameTheirLine() {
        Path f = tmp.resolve("client.cfg");
        assertThatThrownBy(() -> read("[slapconsole\nmaster_url = x\n")).hasMessage(f + ":1: a section header must end with ']'");
        assertThatThrownBy(() -> read("[slapconsole]\n\nmaster_url\n")).hasMessage(f + ":3: expected 'key = value', got 'master_url'");
        assertThatThrownBy(() -> read("# c\nmaster_url = x\n[slapconsole]\n")).hasMessage(f + ":2: option 'master_url' is outside any [section]");
    }
}
