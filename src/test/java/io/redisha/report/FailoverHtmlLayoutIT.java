package io.redisha.report;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The HTML report as a person sees it: rendered by headless Chromium from a file:// URL, with a
 * measuring script that the test adds to a copy of the report (the report itself has none). Every
 * text of every timeline must lie inside its SVG, no two texts may overlap, the page must not
 * scroll sideways, and the page must load nothing (a Content-Security-Policy that allows no
 * source records any attempt). Chromium runs without any network. A screenshot of each width is
 * left in target/report-layout/ to look at.
 *
 * <p>Needs Chromium (scripts/setup --chromium installs Debian's; REDISHA_CHROMIUM names another
 * binary): an integration test so that {@code mvn test} does not need a browser; without one it
 * fails, it never skips.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailoverHtmlLayoutIT {
    private static final Path OUT = Path.of("target", "report-layout");
    private static final Pattern RESULT = Pattern.compile("<pre id=\"layout-check\">(.*?)</pre>", Pattern.DOTALL);
    private static final long CHROMIUM_TIMEOUT_SECONDS = 90;

    /** Records loads the policy refused; first in the head, before anything could try one. */
    private static final String HEAD = """
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
            <script>
            window.layoutViolations = [];
            document.addEventListener('securitypolicyviolation', function (e) {
              window.layoutViolations.push(e.violatedDirective + ' ' + e.blockedURI);
            });
            </script>
            """;

    /** Measures what Chromium drew and writes the findings into the page, where --dump-dom shows them. */
    private static final String MEASURE = """
            <script>
            window.addEventListener('load', function () {
              var lines = [];
              var texts = 0;
              var page = document.documentElement;
              function box(r) { return '[' + [r.left, r.top, r.right, r.bottom].map(function (v) { return v.toFixed(1); }).join(', ') + ']'; }
              document.querySelectorAll('svg.timeline').forEach(function (svg) {
                var where = svg.getAttribute('aria-label');
                var frame = svg.getBoundingClientRect();
                if (frame.right > page.clientWidth + 0.5) {
                  lines.push('PROBLEM ' + where + ': the chart ' + box(frame) + ' is wider than the window (' + page.clientWidth + ' px)');
                }
                var drawn = Array.prototype.slice.call(svg.querySelectorAll('text'));
                drawn.forEach(function (t, i) {
                  texts++;
                  var r = t.getBoundingClientRect();
                  if (r.width === 0 || r.height === 0) {
                    lines.push('PROBLEM ' + where + ': "' + t.textContent + '" has no size (no font?)');
                  }
                  if (r.left < frame.left - 0.5 || r.right > frame.right + 0.5 || r.top < frame.top - 0.5 || r.bottom > frame.bottom + 0.5) {
                    lines.push('PROBLEM ' + where + ': "' + t.textContent + '" ' + box(r) + ' is cut off by the chart ' + box(frame));
                  }
                  for (var j = 0; j < i; j++) {
                    var o = drawn[j].getBoundingClientRect();
                    var w = Math.min(r.right, o.right) - Math.max(r.left, o.left);
                    var h = Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top);
                    if (w > 0.5 && h > 0.5) {
                      lines.push('PROBLEM ' + where + ': "' + t.textContent + '" ' + box(r) + ' overlaps "' + drawn[j].textContent + '" ' + box(o));
                    }
                  }
                });
              });
              if (page.scrollWidth > page.clientWidth) {
                var wide = Array.prototype.slice.call(document.body.querySelectorAll('*')).filter(function (e) {
                  return e.getBoundingClientRect().right > page.clientWidth + 0.5 && e.children.length === 0;
                }).slice(0, 5).map(function (e) { return e.tagName.toLowerCase() + ' "' + e.textContent.slice(0, 60) + '"'; });
                lines.push('PROBLEM the page scrolls sideways: ' + page.scrollWidth + ' px in a window of ' + page.clientWidth
                    + ' px, past its right edge: ' + wide.join(', '));
              }
              window.layoutViolations.forEach(function (v) { lines.push('PROBLEM the page tried to load ' + v); });
              lines.unshift('texts ' + texts, 'height ' + page.scrollHeight, 'width ' + page.clientWidth);
              var out = document.createElement('pre');
              out.id = 'layout-check';
              out.textContent = lines.join('\\n');
              document.body.appendChild(out);
            });
            </script>
            """;

    private static String chromium;
    private static List<String> offline;

    @BeforeAll
    static void findChromium() throws Exception {
        chromium = chromiumBinary();
        offline = withoutNetwork();
    }

    @Test
    void everyTimelineLabelIsInsideItsChartInAWideAndANarrowWindow(@TempDir Path tmp) throws Exception {
        String html = FailoverHtml.render(LongLabelReport.report());
        int expectedTexts = countTimelineTexts(html);
        Path page = tmp.resolve("failover-report.html");
        Files.writeString(page, instrumented(html), StandardCharsets.UTF_8);
        Files.createDirectories(OUT);

        List<String> problems = new ArrayList<>();
        // 500 px: headless Chromium's narrowest window
        for (int width : new int[]{1280, 500}) {
            String dom = chromium(tmp, page, "--window-size=" + width + ",900", "--dump-dom");
            Matcher m = RESULT.matcher(dom);
            assertTrue(m.find(), "the measuring script wrote no result at " + width + " px; Chromium printed:\n" + dom);
            String result = unescape(m.group(1));
            Files.writeString(OUT.resolve("layout-" + width + ".txt"), result, StandardCharsets.UTF_8);
            int height = Integer.parseInt(result.lines().filter(l -> l.startsWith("height ")).findFirst()
                    .orElseThrow().substring("height ".length()));
            Path png = OUT.resolve("failover-report-" + width + ".png").toAbsolutePath();
            Files.deleteIfExists(png);
            chromium(tmp, page, "--window-size=" + width + "," + height, "--hide-scrollbars", "--screenshot=" + png);
            result.lines().filter(l -> l.startsWith("PROBLEM"))
                    .forEach(problem -> problems.add(width + " px wide (" + png + "): " + problem));
            assertTrue(result.contains("texts " + expectedTexts + "\n"), "every text of the timelines was measured ("
                    + expectedTexts + "): " + result);
            int drawnWidth = Integer.parseInt(result.lines().filter(l -> l.startsWith("width ")).findFirst()
                    .orElseThrow().substring("width ".length()));
            assertTrue(drawnWidth <= width && drawnWidth > width - 40, "laid out " + width + " px wide (less a scrollbar): "
                    + drawnWidth);
            assertTrue(Files.size(png) > 10_000, "a screenshot of the whole page: " + png);
        }
        assertEquals(List.of(), problems, "what Chromium drew, at a desktop's width and a narrow one");
    }

    /** Checks the check: a label drawn left of the chart is reported, so a pass above means something. */
    @Test
    void aLabelOutsideTheChartIsFound(@TempDir Path tmp) throws Exception {
        String html = FailoverHtml.render(LongLabelReport.report())
                .replaceFirst("<text ", "<text x=\"-40\" y=\"30\">cut off at the left</text><text ");
        Path page = tmp.resolve("bad.html");
        Files.writeString(page, instrumented(html), StandardCharsets.UTF_8);
        String dom = chromium(tmp, page, "--window-size=1280,900", "--dump-dom");
        Matcher m = RESULT.matcher(dom);
        assertTrue(m.find(), dom);
        assertTrue(unescape(m.group(1)).contains("\"cut off at the left\""), m.group(1));
    }

    private static String instrumented(String html) {
        assertTrue(html.contains("<head>") && html.contains("</body>"), "a whole page");
        return html.replace("<head>", "<head>\n" + HEAD).replace("</body>", MEASURE + "</body>");
    }

    private static int countTimelineTexts(String html) {
        int n = 0;
        Matcher svg = Pattern.compile("<svg class=\"timeline\".*?</svg>", Pattern.DOTALL).matcher(html);
        while (svg.find()) {
            Matcher text = Pattern.compile("<text[ >]").matcher(svg.group());
            while (text.find()) {
                n++;
            }
        }
        assertTrue(n > 0, "the report has timelines");
        return n;
    }

    /**
     * Runs Chromium on the file, in a network namespace of its own with no interface up: it cannot
     * reach any address (left to itself it probes IPv6 reachability with a UDP socket towards a public
     * resolver). Its features that would use a network are off as well, and the page is a file:// URL.
     */
    private static String chromium(Path tmp, Path page, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(offline);
        command.addAll(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + tmp.resolve("profile"), "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-default-apps", "--disable-breakpad", "--metrics-recording-only",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--force-device-scale-factor=1"));
        command.addAll(List.of(args));
        command.add(page.toUri().toString());
        Path out = tmp.resolve("chromium.out");
        Path err = tmp.resolve("chromium.err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(CHROMIUM_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("Chromium did not finish within " + CHROMIUM_TIMEOUT_SECONDS + " s: " + String.join(" ", command)
                    + "\n" + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), () -> "Chromium failed: " + String.join(" ", command) + "\n" + read(err));
        return Files.readString(out);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }

    /** unshare's arguments for an empty network namespace: as root, else in a user namespace of its own. */
    private static List<String> withoutNetwork() throws InterruptedException {
        List<List<String>> ways = List.of(List.of("unshare", "--net", "--"),
                List.of("unshare", "--user", "--map-root-user", "--net", "--"));
        for (List<String> way : ways) {
            List<String> probe = new ArrayList<>(way);
            probe.add("true");
            try {
                Process p = new ProcessBuilder(probe).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return way;
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // no unshare: the next way fails the same, and the message below says what is missing
            }
        }
        return fail("cannot run Chromium without a network: neither `unshare --net` nor `unshare --user "
                + "--map-root-user --net` is permitted here (util-linux's unshare, and root or unprivileged user "
                + "namespaces, are needed)");
    }

    /** REDISHA_CHROMIUM, else chromium (Debian) or Chrome on the PATH; a clear failure without one. */
    private static String chromiumBinary() {
        String named = System.getenv("REDISHA_CHROMIUM");
        if (named != null && !named.isBlank()) {
            if (!Files.isExecutable(Path.of(named))) {
                fail("REDISHA_CHROMIUM=" + named + " is not an executable file");
            }
            return named;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
                Path candidate = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return fail("no Chromium found (chromium, chromium-browser or google-chrome on the PATH): the HTML report's "
                + "layout is checked in a real browser. Install it with scripts/setup --chromium (Debian's chromium "
                + "package), or set REDISHA_CHROMIUM to a Chromium or Chrome binary");
    }
}
