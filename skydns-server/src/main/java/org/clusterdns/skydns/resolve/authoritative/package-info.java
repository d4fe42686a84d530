/**
 * SkyDNS answers for the served domain from the {@link org.clusterdns.skydns.backend.Backend}:
 * every query type, subdomains, wildcards, groups, TargetStrip, SRV weights, CNAME chains,
 * host-local values, NS and SOA.
 */
package org.clusterdns.skydns.resolve.authoritative;
