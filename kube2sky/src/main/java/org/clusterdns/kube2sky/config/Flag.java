package org.clusterdns.kube2sky.config;

/**
 * Every command line flag, as one table: its name (written {@code --name value} or
 * {@code --name=value}; {@code --name_with_underscores} is accepted too, as kube2sky's flag
 * library did), the environment variable it falls back to, its default and its help text.
 * Flags without a value label are booleans: {@code --name} means true, {@code --name=false} false.
 */
enum Flag {
  DOMAIN("domain", null, "cluster.local", "<domain>",
      "DNS domain of the cluster: Services are published as <svc>.<ns>.svc.<domain>."),
  ETCD_SERVER("etcd-server", "ETCD_MACHINES", "http://127.0.0.1:2379", "<url,...>",
      "etcd endpoints: http:// or https:// URLs with host and port, comma-separated; the flag may be repeated."),
  TLS_KEY("tls-key", "ETCD_TLSKEY", "", "<file>",
      "Client private key (PEM) for TLS to etcd; needs --tls-pem."),
  TLS_PEM("tls-pem", "ETCD_TLSPEM", "", "<file>",
      "Client certificate (PEM) for TLS to etcd; needs --tls-key."),
  CA_CERT("ca-cert", "ETCD_CACERT", "", "<file>",
      "CA bundle (PEM) that signed the etcd server certificate."),
  USERNAME("username", "ETCD_USERNAME", "", "<user>",
      "etcd user to authenticate as; needs --password."),
  PASSWORD("password", "ETCD_PASSWORD", "", "<password>",
      "Password of the etcd user; needs --username."),
  ETCD_REQUEST_TIMEOUT("etcd-request-timeout", null, "5s", "<duration>",
      "Time limit of every etcd request, Go duration syntax (500ms, 5s, 1m); positive."),
  ETCD_MAX_TXN_OPS("etcd-max-txn-ops", null, "128", "<n>",
      "The most operations etcd takes in one transaction: its --max-txn-ops (128 unless set), never more."
          + " A Service's change that fits is written in one transaction; a larger one is split, puts before deletes."),
  PATH_PREFIX("path-prefix", null, "skydns", "<prefix>",
      "etcd key prefix, one path segment: records are written under /<prefix>/ (must match skydns-server's)."),
  KUBE_MASTER_URL("kube-master-url", null, "", "<url>",
      "Kubernetes API server URL (http or https); $VAR and ${VAR} are expanded, as in ${KUBERNETES_SERVICE_HOST}."
          + " Overrides the kubeconfig's server; without --kubecfg-file it is used alone, without credentials."),
  KUBECFG_FILE("kubecfg-file", null, "", "<file>",
      "kubeconfig file to reach the API server with (its current context). With neither this nor"
          + " --kube-master-url: the files in KUBECONFIG, else ~/.kube/config, else the in-cluster service account."),
  HEALTHZ_PORT("healthz-port", null, "8081", "<port>",
      "HTTP port of /healthz, /readyz (also /readiness) and /metrics; 0 means any free port."),
  HEALTHZ_BIND_ADDRESS("healthz-bind-address", null, "0.0.0.0", "<ip>",
      "IP address the HTTP port is bound to; all interfaces by default, so the kubelet's probes reach it."),
  RESYNC_PERIOD("resync-period", null, "5m", "<duration>",
      "How often every Service is reconciled and records no Service owns are removed; Go duration syntax, positive."),
  LEGACY_NAMES("legacy-names", null, "false", null,
      "Also write the 2014 addon's names <svc>.<ns>.<domain>.");

  private final String name;
  private final String env;
  private final String defaultValue;
  private final String valueLabel;
  private final String description;

  Flag(String name, String env, String defaultValue, String valueLabel, String description) {
    this.name = name;
    this.env = env;
    this.defaultValue = defaultValue;
    this.valueLabel = valueLabel;
    this.description = description;
  }

  /** Returns the flag as written on the command line, {@code --name}. */
  String option() {
    return "--" + name;
  }

  /** Returns the environment variable read when the flag is absent, or null. */
  String env() {
    return env;
  }

  /** Returns the value used when neither the flag nor its variable is given. */
  String defaultValue() {
    return defaultValue;
  }

  /** Returns the label of the value in the help, or null for a boolean flag. */
  String valueLabel() {
    return valueLabel;
  }

  boolean isBoolean() {
    return valueLabel == null;
  }

  /** Returns the help lines: the description, the default and the environment variable. */
  String[] helpLines() {
    String shownDefault = defaultValue.isEmpty() ? "none" : defaultValue;
    String fallback = env == null ? "" : "  Environment: " + env + ".";
    return new String[] {description, "Default: " + shownDefault + "." + fallback};
  }
}
