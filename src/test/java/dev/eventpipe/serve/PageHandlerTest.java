package dev.eventpipe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PageHandlerTest {

    private static String resource(String name) {
        return new String(PageHandler.read("dev/eventpipe/serve/" + name), StandardCharsets.UTF_8);
    }

    @Test
    void theChartLibraryComesFromTheWebJarOfTheVersionThePageNames() {
        assertThat(PageHandler.read(PageHandler.ECHARTS_RESOURCE)).hasSizeGreaterThan(500_000);
        assertThat(resource("index.html")).contains("<script src=\"" + PageHandler.ECHARTS_PATH + "\" defer></script>");
    }

    @Test
    void thePageNamesNoOtherHostAndRunsNoInlineScript() {
        Pattern url = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+");
        for (String name : new String[] {"index.html", "app.js", "app.css"}) {
            assertThat(url.matcher(resource(name).replaceAll("(?m)^\\s*//.*$", "")).find()).as(name).isFalse();
        }
        String html = resource("index.html");
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContainPattern("\\son[a-z]+=")
                .doesNotContain("style=");
        assertThat(PageHandler.CSP).contains("default-src 'none'").contains("script-src 'self'").contains("connect-src 'self'")
                .doesNotContain("unsafe");
    }

    @Test
    void theScriptNeverWritesHtml() {
        assertThat(resource("app.js")).doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                .doesNotContain("document.write").doesNotContain("eval(");
    }
}
