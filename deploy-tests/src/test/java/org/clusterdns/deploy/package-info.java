/**
 * Tests of the cluster installation: the templates as {@code scripts/deploy} renders them, parsed
 * strictly and checked against the processes' own flags, the Dockerfiles, and the manifests
 * applied to a mock API server and, where Docker exists, to k3s.
 */
package org.clusterdns.deploy;
