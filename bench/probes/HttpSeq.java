import java.net.URI;
import java.net.http.*;
import java.util.*;
public class HttpSeq {
  public static void main(String[] a) throws Exception {
    HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    int n = Integer.parseInt(a[1]); double[] lat = new double[n]; byte[] body = new byte[1024];
    String auth = "Basic " + Base64.getEncoder().encodeToString("admin:admin-dev-only".getBytes());
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      HttpResponse<Void> r = c.send(HttpRequest.newBuilder(URI.create("http://localhost:" + a[0] + "/api/v1/topics/bench.seq/events")).header("Authorization", auth)
        .header("Content-Type", "application/octet-stream").header("ce-id", UUID.randomUUID().toString()).header("ce-source", "/j").header("ce-type", "bench.seq").header("ce-specversion", "1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() != 202) throw new IllegalStateException("" + r.statusCode());
      lat[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(lat);
    System.out.printf("java httpclient n=%d p50=%.2f p90=%.2f p99=%.2f min=%.2f%n", n, lat[n/2], lat[(int)(n*.9)], lat[(int)(n*.99)], lat[0]);
  }
}
