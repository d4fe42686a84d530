/**
 * Asking other nameservers: the upstream servers for names outside the domain, their health, the
 * exchange with failover, coalescing and a cap on outstanding queries, and the resolver steps that
 * forward questions and complete aliases that leave the domain.
 */
package org.clusterdns.skydns.resolve.forward;
