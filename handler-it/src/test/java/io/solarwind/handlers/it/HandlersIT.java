package io.solarwind.handlers.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.handler.internal.HandlerBindings;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.naming.InitialContext;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Handlers as users write them (@Purpose message-driven beans), deployed by Arquillian into
 * a Liberty server of their own; Solar Wind runs in another Liberty server, another JVM.
 * Tests marked {@link RunAsClient} run in the build's JVM; the others run inside the
 * handlers server, next to the beans.
 */
@ExtendWith(ArquillianExtension.class)
class HandlersIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "handlers", order = 1)
    static WebArchive handlers() {
        return handlerWar("handlers-it.war", ShareOne.class, ShareTwo.class, WatchOne.class, WatchTwo.class, Fragile.class,
                UpgradeV1.class, UpgradeV2.class);
    }

    @Deployment(name = "conflict", managed = false)
    static WebArchive conflict() {
        return handlerWar("conflict-it.war", Clash.class);
    }

    /** A handler WAR as a user's build makes it: the classes, the handler API jar, the generated bindings. */
    static WebArchive handlerWar(String name, Class<?>... handlers) {
        Map<String, String> beans = new LinkedHashMap<>();
        for (Class<?> handler : handlers) {
            beans.put(handler.getSimpleName(), handler.getName());
        }
        File api = new File(System.getProperty("solarwind.it.handler-api"));
        return ShrinkWrap.create(WebArchive.class, name)
                .addClasses(handlers)
                .addClasses(RecordingHandler.class, Collector.class, Topics.class)
                .addAsLibrary(ShrinkWrap.createFromZipFile(JavaArchive.class, api))
                .addAsWebInfResource(new StringAsset(HandlerBindings.xml(beans)), "ibm-ejb-jar-bnd.xml")
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @Test
    @OperateOnDeployment("handlers")
    void deployingRegistersEachPurposeAndItsInstancesConnect() throws Exception {
        await("registrations with their instances", () -> consumers(Topics.DIRECT, "share") == 2
                && consumers(Topics.FANOUT, "watch") == 2 && consumers(Topics.FAILING, "fragile") == 1);
        String share = solarWind("GET", "/api/v1/topics/" + Topics.DIRECT + "/purposes/share", null).body();
        assertTrue(share.contains("\"exchange\":\"direct\"") && share.contains("\"destination\":\"solarwind.topic.it.handlers.direct::solarwind.direct.it.handlers.direct.share\""), share);
        String watch = solarWind("GET", "/api/v1/topics/" + Topics.FANOUT + "/purposes/watch", null).body();
        assertTrue(watch.contains("\"exchange\":\"fanout\""), watch);
    }

    @Test
    @OperateOnDeployment("handlers")
    void directEventsAreSharedBetweenTwoInstancesWithoutLossOrDuplicates() throws Exception {
        await("both instances connected", () -> consumers(Topics.DIRECT, "share") == 2);
        List<String> sent = publish(Topics.DIRECT, "direct", 200, "{}");
        await("200 events handled", () -> Collector.of(ShareOne.class).size() + Collector.of(ShareTwo.class).size() >= 200);
        // instead of sleeping: nothing left in the queue or in delivery (a duplicate would be handled by then)
        await("the purpose's queue drained", () -> pending(Topics.DIRECT, "share") == 0);
        List<String> all = new ArrayList<>(Collector.of(ShareOne.class));
        all.addAll(Collector.of(ShareTwo.class));
        assertEquals(200, all.size(), "no event handled twice");
        assertEquals(new HashSet<>(sent), new HashSet<>(all), "every event handled");
        assertTrue(!Collector.of(ShareOne.class).isEmpty() && !Collector.of(ShareTwo.class).isEmpty(),
                "both instances got some: " + Collector.of(ShareOne.class).size() + " / " + Collector.of(ShareTwo.class).size());
    }

    @Test
    @OperateOnDeployment("handlers")
    void fanoutEventsReachEveryInstance() throws Exception {
        await("both subscribers connected", () -> consumers(Topics.FANOUT, "watch") == 2);
        List<String> sent = publish(Topics.FANOUT, "fanout", 50, "{}");
        await("50 events at each instance", () -> Collector.of(WatchOne.class).size() >= 50 && Collector.of(WatchTwo.class).size() >= 50);
        // instead of sleeping: a marker published after the 50. Each instance has one subscription,
        // consumed by one session (maxSession 1), in order: once both handled the marker, both handled
        // every copy dispatched before it, a duplicate included
        List<String> marker = publish(Topics.FANOUT, "fanout-marker", 1, "{}");
        await("the marker at each instance", () -> Collector.of(WatchOne.class).containsAll(marker)
                && Collector.of(WatchTwo.class).containsAll(marker));
        List<String> expected = new ArrayList<>(sent);
        expected.addAll(marker);
        assertEquals(new HashSet<>(expected), new HashSet<>(Collector.of(WatchOne.class)));
        assertEquals(new HashSet<>(expected), new HashSet<>(Collector.of(WatchTwo.class)));
        assertEquals(51, Collector.of(WatchOne.class).size(), "each event once, the marker last");
        assertEquals(51, Collector.of(WatchTwo.class).size(), "each event once, the marker last");
    }

    @Test
    @OperateOnDeployment("handlers")
    void aFailingHandlerGetsTheEventAgainThenItGoesToTheDeadLetterAddressWhileOthersFlow() throws Exception {
        await("fragile connected", () -> consumers(Topics.FAILING, "fragile") == 1);
        Fragile.poisonedAt.clear();
        List<String> poison = publish(Topics.FAILING, "poison", 1, "{\"poison\":true}");
        List<String> good = publish(Topics.FAILING, "good", 1000, "{}");
        String poisonId = poison.get(0);
        await("good events handled", () -> Collector.of(Fragile.class).containsAll(good));

        ConnectionFactory factory = (ConnectionFactory) new InitialContext().lookup("jms/solarwind");
        // the handlers' own broker user may send to DLA but not read it: read it as an operator
        try (JMSContext context = factory.createContext("admin", "admin-dev-only")) {
            JMSConsumer dla = context.createConsumer(context.createQueue("DLA"), "ce_id = '" + poisonId + "'");
            Message dead = dla.receive(WAIT.toMillis());
            assertNotNull(dead, "the poison event is on the dead-letter address");
            assertEquals("fragile", dead.getStringProperty("solarwind_purpose"));
            assertEquals(Topics.FAILING, dead.getStringProperty("solarwind_topic"));
            assertEquals(3, dead.getIntProperty("solarwind_attempts"));
            assertTrue(dead.getStringProperty("solarwind_reason").contains("fragile cannot digest " + poisonId),
                    dead.getStringProperty("solarwind_reason"));
            assertNull(dla.receive(500), "dead-lettered once");
        }
        long attempts = Collector.of(Fragile.class).stream().filter(poisonId::equals).count();
        assertEquals(3, attempts, "delivered three times before giving up");
        assertEquals(0, pending(Topics.FAILING, "fragile"), "nothing left behind");
        assertEquals(1000, Collector.of(Fragile.class).stream().filter(good::contains).count(), "each good event once");
        // the purpose's registered policy (200 ms, then twice as long) is the broker's redelivery delay
        List<Long> at = Fragile.poisonedAt;
        assertEquals(3, at.size());
        assertTrue(at.get(1) - at.get(0) >= 180_000_000L, "first redelivery after about 200 ms: " + (at.get(1) - at.get(0)) / 1_000_000 + " ms");
        assertTrue(at.get(2) - at.get(1) >= 360_000_000L, "second after about 400 ms: " + (at.get(2) - at.get(1)) / 1_000_000 + " ms");
        String registration = body("/api/v1/topics/" + Topics.FAILING + "/purposes/fragile");
        assertTrue(registration.contains("\"maxAttempts\":3") && registration.contains("\"delayMillis\":200")
                && registration.contains("\"multiplier\":2"), registration);
    }

    @Test
    @OperateOnDeployment("handlers")
    void aDeadLetterIsListedWithItsReasonAndRetriedFromTheAdminApiOnceTheHandlerIsFixed() throws Exception {
        await("fragile connected", () -> consumers(Topics.FAILING, "fragile") == 1);
        String id = publish(Topics.FAILING, "retry-me", 1, "{\"poison\":true}").get(0);
        String list = "/api/v1/topics/" + Topics.FAILING + "/purposes/fragile/dead-letters";
        await("the dead letter listed", () -> body(list).contains("\"id\":\"" + id + "\""));
        String listed = body(list);
        assertTrue(listed.contains("fragile cannot digest " + id) && listed.contains("\"attempts\":3"), listed);
        Fragile.healed = true;
        try {
            HttpResponse<String> retried = solarWind("POST", list + "/" + id + "/retry", Map.of("body", ""));
            assertEquals(202, retried.statusCode(), retried.body());
            await("the fixed handler gets it", () -> Collector.of("healed").contains(id));
        } finally {
            Fragile.healed = false;
        }
        assertTrue(!body(list).contains("\"id\":\"" + id + "\""), "no longer a dead letter");
        assertEquals(404, solarWind("POST", list + "/" + id + "/retry", Map.of("body", "")).statusCode());
        assertEquals(404, solarWind("DELETE", list + "/" + id, null).statusCode());
    }

    private static String body(String path) {
        try {
            return solarWind("GET", path, null).body();
        } catch (Exception e) {
            return "";
        }
    }

    /**
     * Two beans of one direct purpose, {@code @Purpose(version = "2")} beside the one declaring none (version 1):
     * each consumes its version's queue, and the events go to the active version's instance alone, version 1's
     * before the cut-over to 2 and version 2's after it.
     */
    @Test
    @OperateOnDeployment("handlers")
    void eachVersionsBeanGetsTheEventsOfTheCutOversToIt() throws Exception {
        String purpose = "/api/v1/topics/" + Topics.VERSIONED + "/purposes/upgrade";
        await("both versions registered, each with its instance", () -> {
            try {
                String body = solarWind("GET", purpose, null).body();
                return body.contains("\"version\":\"1\"") && body.contains("\"version\":\"2\"") && consumers(Topics.VERSIONED, "upgrade") == 2;
            } catch (Exception e) {
                return false;
            }
        });
        String upgrade = solarWind("GET", purpose, null).body();
        assertTrue(upgrade.contains("\"destination\":\"solarwind.topic.it.handlers.versioned::solarwind.direct.it.handlers.versioned.upgrade~2\""), upgrade);
        // whichever bean registered first, version 1 is made active, then 2
        for (String version : new String[] {"1", "2"}) {
            HttpResponse<String> cut = solarWind("POST", purpose + "/cutover", Map.of("Content-Type", "application/json",
                    "body", "{\"version\":\"" + version + "\"}"));
            assertEquals(200, cut.statusCode(), cut.body());
            List<String> sent = publish(Topics.VERSIONED, "v" + version, 20, "{}");
            Class<?> active = version.equals("1") ? UpgradeV1.class : UpgradeV2.class;
            Class<?> other = version.equals("1") ? UpgradeV2.class : UpgradeV1.class;
            await("20 events at version " + version, () -> Collector.of(active).containsAll(sent));
            await("the purpose's queues drained", () -> pending(Topics.VERSIONED, "upgrade") == 0);
            assertTrue(Collector.of(other).stream().noneMatch(sent::contains), "no event of version " + version + " at the other bean");
        }
        assertEquals(20, Collector.of(UpgradeV1.class).size());
        assertEquals(20, Collector.of(UpgradeV2.class).size());
    }

    @Test
    @RunAsClient
    void aConflictingDeclarationFailsTheDeploymentAndSaysWhy() throws Exception {
        String http = System.getProperty("solarwind.it.http");
        HttpResponse<String> registered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(http + "/api/v1/topics/" + Topics.CONFLICT + "/purposes/clash"))
                .header("Content-Type", "application/json").header("Authorization", ADMIN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"exchange\":\"direct\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(registered.statusCode() == 201 || registered.statusCode() == 200, registered.body());

        assertThrows(Exception.class, () -> deployer.deploy("conflict"), "the conflicting WAR must not start");

        Path log = Path.of(System.getProperty("arquillian.wlp"), "usr/servers/handlers/logs/messages.log");
        String expected = "Conflicting purpose declaration: " + Clash.class.getName() + " declares purpose 'clash' (version 1) on topic '"
                + Topics.CONFLICT + "' with exchange fanout, but Solar Wind answered: purpose 'clash' on topic '"
                + Topics.CONFLICT + "' is registered with exchange direct";
        assertTrue(Files.readString(log).contains(expected), "the deployment error names the conflict:\n" + expected);
        String after = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(http + "/api/v1/topics/" + Topics.CONFLICT + "/purposes/clash")).header("Authorization", ADMIN).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(after.contains("\"exchange\":\"direct\"") && after.contains("\"consumers\":0"), after);
        try {
            deployer.undeploy("conflict");
        } catch (RuntimeException ignored) {
            // it never started
        }
    }

    // --- helpers that run inside the handlers server ---

    /** The development admin of liberty/security-dev.xml (HTTP) and of the broker's dev users file. */
    private static final String ADMIN = "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin-dev-only".getBytes());

    private static String adminUrl() {
        return ConfigProvider.getConfig().getValue("solarwind.admin.url", String.class);
    }

    private static HttpResponse<String> solarWind(String method, String path, Map<String, String> headersAndBody) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(adminUrl() + path)).header("Authorization", ADMIN);
        if (headersAndBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            headersAndBody.forEach((k, v) -> {
                if (!k.equals("body")) {
                    request.header(k, v);
                }
            });
            request.method(method, HttpRequest.BodyPublishers.ofString(headersAndBody.get("body")));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Unique per run: Solar Wind drops an id + source it has seen, and its journal may outlive a build. */
    private static final String RUN = java.util.UUID.randomUUID().toString().substring(0, 8);

    private static List<String> publish(String topic, String prefix, int count, String json) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + RUN + "-" + i;
            HttpResponse<String> r = solarWind("POST", "/api/v1/topics/" + topic + "/events",
                    Map.of("ce-id", id, "ce-source", "/it/handlers", "Content-Type", "application/json", "body", json));
            assertEquals(202, r.statusCode(), r.body());
            ids.add(id);
        }
        return ids;
    }

    private static int consumers(String topic, String purpose) {
        return number(topic, purpose, "consumers");
    }

    private static int pending(String topic, String purpose) {
        return number(topic, purpose, "pending");
    }

    private static int number(String topic, String purpose, String field) {
        try {
            String body = solarWind("GET", "/api/v1/topics/" + topic + "/purposes/" + purpose, null).body();
            int at = body.indexOf("\"" + field + "\":");
            if (at < 0) {
                return -1;
            }
            int start = at + field.length() + 3;
            int end = start;
            while (end < body.length() && Character.isDigit(body.charAt(end))) {
                end++;
            }
            return Integer.parseInt(body.substring(start, end));
        } catch (Exception e) {
            return -1;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
