/** Operations: the Prometheus metrics of reconciliation. */
package org.clusterdns.kube2sky.metrics;
