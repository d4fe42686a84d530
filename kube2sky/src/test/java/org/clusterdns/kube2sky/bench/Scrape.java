package org.clusterdns.kube2sky.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a Prometheus text endpoint (kube2sky's or etcd's {@code /metrics}): every sample,
 * keyed by its series as written, e.g. {@code kube2sky_reconciles_total{result="changed"}}.
 */
final class Scrape {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?)\\s+(\\S+)");
  private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

  private final Map<String, Double> samples;

  private Scrape(Map<String, Double> samples) {
    this.samples = samples;
  }

  /** Returns the HTTP status of a GET of {@code url}, or -1 when nothing answers. */
  static int status(String url) throws InterruptedException {
    try {
      return HTTP.send(request(url), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Scrapes {@code url}. */
  static Scrape of(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(request(url), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode());
    }
    Map<String, Double> samples = new TreeMap<>();
    for (String line : response.body().split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (!line.startsWith("#") && sample.find()) {
        samples.put(sample.group(1), Double.parseDouble(sample.group(2)));
      }
    }
    return new Scrape(samples);
  }

  private static HttpRequest request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
  }

  /** Returns the value of one series, 0 when absent (a counter not yet incremented). */
  double value(String series) {
    return samples.getOrDefault(series, 0.0);
  }

  /** Returns the sum of the series whose text satisfies {@code which}. */
  double sum(Predicate<String> which) {
    return samples.entrySet().stream().filter(e -> which.test(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
  }

  /**
   * Returns the upper bound of the histogram bucket holding quantile {@code q} of the
   * observations made between {@code before} and this scrape, or NaN when there were none.
   * Prometheus buckets are cumulative, so the answer is the first bound whose count reaches
   * {@code q} of the total.
   */
  double quantileSince(Scrape before, String histogram, double q) {
    TreeMap<Double, Double> counts = new TreeMap<>();
    samples.forEach((series, value) -> {
      Matcher le = LE.matcher(series);
      if (series.startsWith(histogram + "_bucket{") && le.find()) {
        double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
        counts.put(bound, value - before.value(series));
      }
    });
    double total = counts.isEmpty() ? 0 : counts.lastEntry().getValue();
    if (total == 0) {
      return Double.NaN;
    }
    for (Map.Entry<Double, Double> bucket : counts.entrySet()) {
      if (bucket.getValue() >= q * total) {
        return bucket.getKey();
      }
    }
    return Double.POSITIVE_INFINITY;
  }
}
