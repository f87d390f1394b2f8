package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.API;
import static io.solarwind.it.SolarWindServer.HTTP;
import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.json;
import static io.solarwind.it.SolarWindServer.jms;
import static io.solarwind.it.SolarWindServer.publish;
import static io.solarwind.it.SolarWindServer.purposeUrl;
import static io.solarwind.it.SolarWindServer.registration;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console at /console in a real browser: Debian's headless Chromium driven by Selenium
 * (no driver or browser is downloaded: SE_OFFLINE, the binaries given). An administrator registers
 * a purpose in the page, sees the events the test publishes over HTTP pending there, and retries
 * and discards the dead letters a plain JMS consumer made; a viewer sees all of it with no control
 * and is refused by the server anyway; a page of another site, in a browser holding the admin's
 * credentials, changes nothing. Every wait is for a condition in the page or the API. Screenshots
 * go to target/console-screenshots.
 */
class ConsoleIT {
    private static final String CHROMIUM = System.getProperty("solarwind.it.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("solarwind.it.chromedriver", "/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of(System.getProperty("solarwind.it.screenshots", "target/console-screenshots"));
    private static final Duration WAIT = Duration.ofSeconds(45);

    private ChromeDriverService service;
    private WebDriver driver;
    private Path profile;
    private String testName;

    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(3));
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            installBrowser(); // a plain `mvn verify` on a bare machine: the same script .ci/run calls
        }
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            fail("ConsoleIT needs Debian's chromium and chromedriver (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): apt-get install -y chromium chromium-driver (.ci/install-test-packages does it as root or with sudo)");
        }
    }

    @BeforeEach
    void browser(TestInfo info) throws IOException {
        testName = info.getTestMethod().map(m -> m.getName()).orElse("console");
        profile = Files.createTempDirectory("solarwind-chromium");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1500,1000", "--user-data-dir=" + profile);
        driver = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void close() throws IOException {
        try {
            if (driver != null) {
                screenshot("last");
                driver.quit();
            }
        } finally {
            if (service != null) {
                service.stop();
            }
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void anAdminRegistersAPurposeSeesItsEventsPendingAndRetriesAndDiscardsItsDeadLetters() throws Exception {
        String topic = uniqueTopic("console.orders");
        String key = topic + "/billing";
        logIn("admin", "admin-dev-only");
        assertEquals("admin", text(By.id("who-name")));
        assertFalse(driver.findElement(By.id("readonly")).isDisplayed(), "an admin is not read-only");

        // register in the page: direct, two attempts, no delay
        type("register-topic", topic);
        type("register-purpose", "billing");
        new Select(driver.findElement(By.id("register-exchange"))).selectByVisibleText("direct");
        driver.findElement(By.cssSelector("#register details summary")).click();
        type("register-attempts", "2");
        type("register-delay", "0");
        driver.findElement(By.id("register-submit")).click();
        waitFor("the new purpose's row", d -> cell(key, "pending").equals("0"));
        JsonObject registered = registration(topic, "billing");
        assertEquals("direct", registered.getString("exchange"));
        assertEquals(2, registered.getJsonObject("redelivery").getInt("maxAttempts"));

        // events published over HTTP show as pending, with a trend
        for (int i = 0; i < 5; i++) {
            publish(topic, topic + "-" + i, "{\"order\":" + i + "}");
        }
        waitFor("5 pending in the page", d -> cell(key, "pending").equals("5"));
        waitFor("the pending trend drawn", d -> !row(key).findElements(By.cssSelector("svg.spark polyline.pending")).isEmpty());
        assertEquals("0", cell(key, "consumers"));
        screenshot("1-pending");

        // a plain JMS consumer fails the first event twice: it goes to DLA
        String dead = deadLetterOne(registered.getString("destination"));
        waitFor("the dead letter counted", d -> cell(key, "dead-letters").equals("1") && cell(key, "pending").equals("4"));
        row(key).findElement(By.cssSelector("td.name")).click();
        waitFor("the dead letter listed", d -> !deadLetterRows(dead).isEmpty());
        assertEquals(key.replace("/", " / "), text(By.id("detail-title")));
        screenshot("2-dead-letter");
        Files.copy(SCREENSHOTS.resolve(testName + "-2-dead-letter.png"), SCREENSHOTS.resolve("console.png"),
                StandardCopyOption.REPLACE_EXISTING);

        // retry one: back in the purpose's queue
        click(By.cssSelector("#dead-body tr[data-id='" + dead + "'] button.retry"));
        waitFor("the dead letter retried", d -> deadLetterRows(dead).isEmpty()
                && cell(key, "dead-letters").equals("0") && cell(key, "pending").equals("5"));
        assertEquals(0, deadLettersOf(topic, "billing").size());
        assertEquals(5, registration(topic, "billing").getInt("pending"));
        screenshot("3-retried");

        // two more: discard the selected one, retry all (the other)
        String first = deadLetterOne(registered.getString("destination"));
        String second = deadLetterOne(registered.getString("destination"));
        waitFor("two dead letters listed", d -> deadLetterRows(first).size() == 1 && deadLetterRows(second).size() == 1);
        click(By.cssSelector("#dead-body input.choose[data-id='" + first + "']"));
        waitFor("one selected", d -> driver.findElement(By.id("discard-selected")).isEnabled());
        click(By.id("discard-selected"));
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.alertIsPresent()).accept();
        waitFor("the selected one discarded", d -> deadLetterRows(first).isEmpty() && deadLetterRows(second).size() == 1);
        click(By.id("retry-all"));
        waitFor("all retried", d -> deadLetterRows(second).isEmpty() && cell(key, "dead-letters").equals("0")
                && cell(key, "pending").equals("4"));
        assertEquals(0, deadLettersOf(topic, "billing").size());
        assertEquals(4, registration(topic, "billing").getInt("pending"), "5 - 1 discarded");

        // replay the last hour of the topic (its 5 events) into the purpose
        click(By.id("replay-submit"));
        waitFor("the replay done", d -> text(By.id("message")).startsWith("Replayed 5 events"));
        waitFor("the copies pending", d -> cell(key, "pending").equals("9"));

        // a second version and a cut-over to it (through the API): the detail shows both versions' queues
        assertEquals(200, SolarWindServer.put(purposeUrl(topic, "billing"), "{\"exchange\":\"direct\",\"purposeVersion\":\"2\"}").statusCode());
        assertEquals(200, SolarWindServer.post(purposeUrl(topic, "billing") + "/cutover", java.util.Map.of("Content-Type", "application/json"),
                "{\"version\":\"2\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).statusCode());
        waitFor("the versions shown", d -> text(By.id("detail-facts")).contains("1: 9 pending, 0 instances; 2 (active): 0 pending, 0 instances")
                && text(By.id("detail-facts")).contains("1 → 2"));
        assertEquals("9", cell(key, "pending"), "the purpose's pending sums its versions'");

        // and delete it (both versions' queues)
        click(By.id("delete-purpose"));
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.alertIsPresent()).accept();
        waitFor("the row gone", d -> d.findElements(By.cssSelector("#purposes-body tr[data-key='" + key + "']")).isEmpty()
                && !d.findElement(By.id("detail")).isDisplayed());
        assertEquals(404, SolarWindServer.get(purposeUrl(topic, "billing")).statusCode());
    }

    @Test
    void aViewerSeesEverythingAndChangesNothing() throws Exception {
        String topic = uniqueTopic("console.viewed");
        String key = topic + "/audit";
        HttpResponse<String> created = SolarWindServer.put(purposeUrl(topic, "audit"),
                "{\"exchange\":\"direct\",\"redelivery\":{\"maxAttempts\":1}}");
        assertEquals(201, created.statusCode(), created.body());
        publish(topic, topic + "-a", "{}");
        publish(topic, topic + "-b", "{}");
        String dead = deadLetterOne(json(created.body()).asJsonObject().getString("destination"));

        logIn("viewer", "viewer-dev-only");
        waitFor("the purpose with its figures", d -> cell(key, "pending").equals("1") && cell(key, "dead-letters").equals("1"));
        assertTrue(driver.findElement(By.id("readonly")).isDisplayed());
        assertFalse(driver.findElement(By.id("register")).isDisplayed(), "no registration form");
        row(key).findElement(By.cssSelector("td.name")).click();
        waitFor("the dead letter listed", d -> !deadLetterRows(dead).isEmpty());
        for (String control : List.of("delete-purpose", "replay-form", "retry-all", "discard-all", "retry-selected", "discard-selected")) {
            assertFalse(driver.findElement(By.id(control)).isDisplayed(), control + " hidden from a viewer");
        }
        assertTrue(driver.findElements(By.cssSelector("#dead-body button")).isEmpty(), "no retry or discard buttons");
        assertTrue(driver.findElements(By.cssSelector("#dead-body input")).isEmpty(), "nothing to select");
        screenshot("viewer");

        // the server refuses the viewer's changes anyway, also from the console's own page with its header
        String auth = SolarWindServer.basic("viewer", "viewer-dev-only");
        String base = "/api/v1/topics/" + topic + "/purposes/audit";
        assertEquals(403, fetchStatus("PUT", "/api/v1/topics/" + topic + "/purposes/other", auth, "{\"exchange\":\"direct\"}"));
        assertEquals(403, fetchStatus("DELETE", base, auth, null));
        assertEquals(403, fetchStatus("POST", base + "/dead-letters/" + dead + "/retry", auth, null));
        assertEquals(403, fetchStatus("DELETE", base + "/dead-letters/" + dead, auth, null));
        assertEquals(403, fetchStatus("POST", base + "/replay", auth, "{\"from\":\"2026-01-01T00:00:00Z\"}"));
        assertEquals(200, fetchStatus("GET", base, auth, null), "the same page's call as admin-less reader works");
        assertEquals(404, SolarWindServer.get(purposeUrl(topic, "other")).statusCode());
        assertEquals(1, deadLettersOf(topic, "audit").size());
        assertEquals(1, registration(topic, "audit").getInt("pending"));
    }

    @Test
    void aPageOfAnotherSiteCannotChangeAnythingWithTheBrowsersStoredCredentials() throws Exception {
        String topic = uniqueTopic("console.forged");
        HttpResponse<String> created = SolarWindServer.put(purposeUrl(topic, "victim"),
                "{\"exchange\":\"direct\",\"redelivery\":{\"maxAttempts\":1}}");
        assertEquals(201, created.statusCode(), created.body());
        publish(topic, topic + "-1", "{}");
        String dead = deadLetterOne(json(created.body()).asJsonObject().getString("destination"));

        // the browser gets the admin's password once (as if typed into its prompt) and keeps it
        driver.get(HTTP.replace("://", "://admin:admin-dev-only@") + "/api/v1/me");
        waitFor("the browser logged in", d -> d.getPageSource().contains("\"user\":\"admin\""));
        driver.get(HTTP + "/api/v1/me");
        waitFor("the browser sends the stored credentials by itself", d -> d.getPageSource().contains("\"user\":\"admin\""));

        // another site (127.0.0.1 is another site than localhost): a no-cors fetch publishing and a
        // form POST retrying the dead letter, both with the stored credentials
        String target = HTTP + "/api/v1/topics/" + topic;
        String page = "<!DOCTYPE html><html><body><form id='f' method='POST' enctype='text/plain' action='" + target
                + "/purposes/victim/dead-letters/" + dead + "/retry'><input name='x' value='y'></form><script>"
                + "fetch('" + target + "/events', {method: 'POST', mode: 'no-cors', credentials: 'include',"
                + " headers: {'Content-Type': 'text/plain'}, body: '{}'})"
                + ".finally(() => document.getElementById('f').submit());"
                + "</script></body></html>";
        HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        evil.createContext("/", exchange -> {
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        evil.start();
        try {
            driver.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            // the form's answer replaces the page once both requests were answered
            waitFor("the forged retry answered", d -> d.getCurrentUrl().endsWith("/retry"));
            String answer = driver.findElement(By.tagName("body")).getText();
            assertTrue(answer.contains("cross-site-request"), "refused by the CSRF rule, credentials and all: " + answer);
            screenshot("cross-site-refused");
        } finally {
            evil.stop(0);
        }
        assertEquals(1, deadLettersOf(topic, "victim").size(), "the dead letter is still there");
        assertEquals(0, registration(topic, "victim").getInt("pending"), "nothing retried, nothing published");

        // the same rule seen by an HTTP client: browser marks without the header, or of another origin, are refused
        String retry = purposeUrl(topic, "victim") + "/dead-letters/" + dead + "/retry";
        Map<String, String> otherSite = Map.of("Origin", "http://127.0.0.1:1", "Sec-Fetch-Site", "cross-site");
        assertCrossSiteRefused(post(retry, otherSite));
        assertCrossSiteRefused(post(retry, Map.of("Origin", "https://evil.example")));
        assertCrossSiteRefused(post(retry, Map.of("Origin", "https://evil.example", "X-SolarWind-CSRF", "1")));
        assertCrossSiteRefused(post(retry, Map.of("Origin", HTTP)));
        assertCrossSiteRefused(post(retry, Map.of("Cookie", "session=1")));
        assertEquals(1, deadLettersOf(topic, "victim").size(), "still there");
        // the console's own call passes, so does a same-origin page's with Fetch Metadata (as /openapi/ui's),
        // and an API client's without any browser mark
        HttpResponse<String> own = post(retry, Map.of("Origin", HTTP, "Sec-Fetch-Site", "same-origin", "X-SolarWind-CSRF", "1"));
        assertEquals(202, own.statusCode(), own.body());
        HttpResponse<String> sameOrigin = SolarWindServer.send(HttpRequest.newBuilder(URI.create(purposeUrl(topic, "other")))
                .header("Origin", HTTP).header("Sec-Fetch-Site", "same-origin").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"exchange\":\"fanout\"}")));
        assertEquals(201, sameOrigin.statusCode(), sameOrigin.body());
        String legit = publish(topic, topic + "-legit", "{}");
        // the queue holds the retried event and the one published after it, and nothing the forged publish could have put before them
        List<String> queued = new java.util.ArrayList<>();
        try (Connection c = jms()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(json(created.body()).asJsonObject().getString("destination")));
            while (!queued.contains(legit)) {
                Message m = consumer.receive(20_000);
                assertNotNull(m, "the events so far: " + queued);
                queued.add(m.getStringProperty("ce_id"));
            }
        }
        assertEquals(List.of(dead, legit), queued);
    }

    @Test
    void theConsoleIsServedWithItsOwnPolicyAndNothingFromElsewhere() throws Exception {
        HttpResponse<String> redirect = SolarWindServer.send(HttpRequest.newBuilder(URI.create(HTTP + "/console")).GET(), null, null);
        assertTrue(redirect.statusCode() / 100 == 3, "redirects: " + redirect.statusCode());
        HttpResponse<String> page = SolarWindServer.send(HttpRequest.newBuilder(URI.create(HTTP + "/console/")).GET(), null, null);
        assertEquals(200, page.statusCode());
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("script-src 'self'") && policy.contains("connect-src 'self'")
                && policy.contains("frame-ancestors 'none'"), policy);
        for (String file : List.of("/console/", "/console/console.js", "/console/console.css")) {
            String body = SolarWindServer.send(HttpRequest.newBuilder(URI.create(HTTP + file)).GET(), null, null).body();
            assertFalse(body.matches("(?s).*(src|href)=\"(https?:)?//.*"), file + " loads nothing from elsewhere");
            assertFalse(body.contains("http://") && !file.endsWith(".js"), file);
        }
        assertTrue(page.headers().allValues("Access-Control-Allow-Origin").isEmpty(), "no CORS");
        // the wrong password is said in the page
        driver.get(HTTP + "/console");
        waitFor("the login form", d -> d.findElement(By.id("login-user")).isDisplayed());
        type("login-user", "admin");
        type("login-password", "wrong");
        driver.findElement(By.id("login-submit")).click();
        waitFor("the refusal", d -> d.findElement(By.id("login-error")).getText().contains("Not accepted"));
    }

    // ---- helpers ----

    private void logIn(String user, String password) {
        driver.get(HTTP + "/console");
        waitFor("the login form", d -> d.findElement(By.id("login-user")).isDisplayed());
        type("login-user", user);
        type("login-password", password);
        driver.findElement(By.id("login-submit")).click();
        waitFor("the console", d -> d.findElement(By.id("app")).isDisplayed() && !text(By.id("refreshed")).isEmpty());
    }

    private void type(String id, String value) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    private String text(By by) {
        return driver.findElement(by).getText().trim();
    }

    private WebElement row(String key) {
        return driver.findElement(By.cssSelector("#purposes-body tr[data-key='" + key + "']"));
    }

    private String cell(String key, String column) {
        return row(key).findElement(By.cssSelector("td." + column)).getText().trim();
    }

    private List<WebElement> deadLetterRows(String id) {
        return driver.findElements(By.cssSelector("#dead-body tr[data-id='" + id + "']"));
    }

    /** Clicks an element of a table the page redraws at each refresh, finding it again if it was redrawn. */
    private void click(By by) {
        waitFor("to click " + by, d -> {
            d.findElement(by).click();
            return true;
        });
    }

    private void waitFor(String what, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, WAIT)
                .withMessage(() -> what)
                .ignoring(NoSuchElementException.class)
                .ignoring(StaleElementReferenceException.class)
                .until(condition::apply);
    }

    private void screenshot(String name) throws IOException {
        Path file = SCREENSHOTS.resolve(testName + "-" + name + ".png");
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A fetch from the console's own page (same origin, with the console's header) and its status. */
    private long fetchStatus(String method, String path, String authorization, String body) {
        Object status = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const init = {method: arguments[0], credentials: 'omit', headers: {'Authorization': arguments[2],"
                        + " 'X-SolarWind-CSRF': '1', 'Content-Type': 'application/json'}};"
                        + "if (arguments[3] !== null) init.body = arguments[3];"
                        + "fetch(arguments[1], init).then(r => done(r.status), e => done(-1));",
                method, path, authorization, body);
        return ((Number) status).longValue();
    }

    private static HttpResponse<String> post(String url, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return SolarWindServer.send(request);
    }

    /** Runs {@code .ci/install-test-packages} (root or password-less sudo), its output in {@link ChildCommands#LOG}. */
    private static void installBrowser() {
        File script = new File("../.ci/install-test-packages").getAbsoluteFile();
        if (!script.canExecute()) {
            return;
        }
        try {
            ChildCommands.run(List.of("bash", script.getPath()), new File("."), 15);
        } catch (IOException e) {
            System.err.println("ConsoleIT: " + script + " did not run: " + e);
        }
    }

    private static void assertCrossSiteRefused(HttpResponse<String> response) {
        assertEquals(403, response.statusCode(), response.body());
        assertEquals("urn:solarwind:problem:cross-site-request", json(response.body()).asJsonObject().getString("type"), response.body());
    }

    private static JsonArray deadLettersOf(String topic, String purpose) {
        HttpResponse<String> response = SolarWindServer.get(purposeUrl(topic, purpose) + "/dead-letters");
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body()).asJsonArray();
    }

    /**
     * Takes the next event of a direct purpose's queue in a transaction and rolls it back until the
     * broker moves it to DLA (the purpose's attempts used up); returns its id.
     */
    private static String deadLetterOne(String queue) throws Exception {
        try (Connection c = jms()) {
            Session session = c.createSession(true, Session.SESSION_TRANSACTED);
            jakarta.jms.QueueBrowser browser = session.createBrowser(session.createQueue(queue));
            java.util.Enumeration<?> waiting = browser.getEnumeration();
            assertTrue(waiting.hasMoreElements(), "an event on " + queue);
            String id = ((Message) waiting.nextElement()).getStringProperty("ce_id");
            browser.close();
            // only that event: the others stay untouched in the queue
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue), "ce_id = '" + id + "'");
            int attempts = 0;
            for (Message m = consumer.receive(20_000); m != null; m = consumer.receive(2_000)) {
                attempts++;
                session.rollback();
            }
            assertTrue(attempts > 0, "the event " + id + " was delivered");
            return id;
        }
    }
}
