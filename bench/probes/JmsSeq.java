import jakarta.jms.*;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import java.util.*;
import java.util.concurrent.*;
public class JmsSeq {
  public static void main(String[] a) throws Exception {
    ActiveMQConnectionFactory f = new ActiveMQConnectionFactory(a[0]);
    f.setConfirmationWindowSize(1);
    try (Connection c = f.createConnection("admin", "admin-dev-only")) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createTopic("solarwind.inbound"));
      int n = Integer.parseInt(a[1]); double[] lat = new double[n]; byte[] body = new byte[1024];
      for (int i = 0; i < n; i++) {
        BytesMessage m = s.createBytesMessage(); m.writeBytes(body);
        m.setStringProperty("ce_id", UUID.randomUUID().toString()); m.setStringProperty("ce_source", "/seq");
        m.setStringProperty("ce_type", "bench.seq"); m.setStringProperty("ce_specversion", "1.0");
        CompletableFuture<Void> done = new CompletableFuture<>();
        long t = System.nanoTime();
        if (a.length > 2) { p.send(m); } else
        p.send(m, new CompletionListener() { public void onCompletion(Message x) { done.complete(null); } public void onException(Message x, Exception e) { done.completeExceptionally(e);} });
        if (a.length <= 2) done.get();
        lat[i] = (System.nanoTime() - t) / 1e6;
      }
      Arrays.sort(lat);
      System.out.printf("%s n=%d p50=%.2f p90=%.2f p99=%.2f min=%.2f%n", a.length > 2 ? "blocking" : "listener", n, lat[n/2], lat[(int)(n*.9)], lat[(int)(n*.99)], lat[0]);
    }
  }
}
