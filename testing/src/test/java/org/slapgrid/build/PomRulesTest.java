package org.slapgrid.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * "Versions pinned once, in the parent pom.xml": Maven Enforcer checks that versions are fixed
 * (no ranges, no LATEST) but not where they are written, so this test reads the POMs. A module
 * that writes a version (of a dependency, a plugin or a plugin's dependency) or manages its own
 * fails here, naming the file and the artifact.
 */
class PomRulesTest {
    /** Elements whose {@code <version>} child is a pin. */
    private static final Set<String> PINNABLE = Set.of("dependency", "plugin", "extension");
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    private final Path top = Path.of("..").toAbsolutePath().normalize();

    @Test
    void modulesPinNoVersionAndManageNothing() throws Exception {
        List<String> violations = new ArrayList<>();
        List<String> modules = modules();
        assertThat(modules).as("the parent POM's modules").contains("testing", "master", "cli");
        for (String module : modules) {
            Path pom = top.resolve(module).resolve("pom.xml");
            violations.addAll(versionsIn(top.relativize(pom).toString(), read(pom).getDocumentElement()));
            for (String managed : List.of("dependencyManagement", "pluginManagement")) {
                if (read(pom).getElementsByTagName(managed).getLength() > 0) {
                    violations.add(top.relativize(pom) + ": <" + managed + "> (manage versions in the parent pom.xml)");
                }
            }
        }
        assertThat(violations).as("versions written outside the parent pom.xml").isEmpty();
    }

    @Test
    void everyManagedDependencyVersionIsAPropertyOfTheParent() throws Exception {
        Document parent = read(top.resolve("pom.xml"));
        Element management = child(parent.getDocumentElement(), "dependencyManagement");
        assertThat(management).as("the parent's <dependencyManagement>").isNotNull();
        List<String> violations = new ArrayList<>();
        NodeList deps = management.getElementsByTagName("dependency");
        assertThat(deps.getLength()).as("managed dependencies").isGreaterThan(10);
        for (int i = 0; i < deps.getLength(); i++) {
            Element dep = (Element) deps.item(i);
            Element version = child(dep, "version");
            String name = coordinates(dep);
            Matcher m = version == null ? null : PROPERTY.matcher(version.getTextContent().trim());
            if (m == null || !m.matches()) {
                violations.add(name + ": version not a ${property}");
            } else if (!m.group(1).equals("project.version") && child(child(parent.getDocumentElement(), "properties"), m.group(1)) == null) {
                violations.add(name + ": property " + m.group(1) + " is not defined in <properties>");
            }
        }
        assertThat(violations).isEmpty();
    }

    /** The check itself can fail: a module POM with a pinned dependency is reported. */
    @Test
    void aVersionInAModuleIsReported() throws Exception {
        Path pom = Files.createTempFile("pom", ".xml");
        try {
            Files.writeString(pom, """
                    <project><artifactId>x</artifactId><parent><version>1</version></parent><version>1</version>
                      <dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>1.0</version></dependency></dependencies>
                      <build><plugins><plugin><artifactId>p</artifactId><version>2</version>
                        <configuration><rules><requireJavaVersion><version>17</version></requireJavaVersion></rules></configuration>
                      </plugin></plugins></build>
                    </project>""");
            assertThat(versionsIn("x/pom.xml", read(pom).getDocumentElement()))
                    .containsExactly("x/pom.xml: g:a has <version>1.0</version>", "x/pom.xml: ?:p has <version>2</version>");
        } finally {
            Files.delete(pom);
        }
    }

    private List<String> modules() throws Exception {
        List<String> modules = new ArrayList<>();
        NodeList list = read(top.resolve("pom.xml")).getElementsByTagName("module");
        for (int i = 0; i < list.getLength(); i++) {
            modules.add(list.item(i).getTextContent().trim());
        }
        return modules;
    }

    /** Every {@code <version>} of a dependency, plugin or extension, anywhere in the POM. */
    private static List<String> versionsIn(String file, Element root) {
        List<String> found = new ArrayList<>();
        NodeList versions = root.getElementsByTagName("version");
        for (int i = 0; i < versions.getLength(); i++) {
            Node owner = versions.item(i).getParentNode();
            if (PINNABLE.contains(owner.getNodeName())) {
                found.add(file + ": " + coordinates((Element) owner) + " has <version>" + versions.item(i).getTextContent().trim() + "</version>");
            }
        }
        return found;
    }

    private static String coordinates(Element e) {
        Element g = child(e, "groupId");
        Element a = child(e, "artifactId");
        return (g == null ? "?" : g.getTextContent().trim()) + ":" + (a == null ? "?" : a.getTextContent().trim());
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static Document read(Path pom) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(pom.toFile());
    }
}
