package org.clusterdns.skydns.backend;

import java.util.List;

/**
 * The result of {@link Backend#records}: whether the name exists in the tree (as a leaf or as a
 * directory with something below it) and the services that match.
 *
 * <p>A name can exist with no matching services (a wildcard that matches nothing, an exact lookup
 * of a directory): that is NODATA, not NXDOMAIN.
 *
 * @param nameExists whether any key is at or below the name's path (the part before the first
 *     wildcard, for wildcard names)
 * @param entries the matching services in key order; never null
 */
public record Lookup(boolean nameExists, List<ServiceEntry> entries) {
  /** The lookup of a name that is not in the tree. */
  public static final Lookup NOT_FOUND = new Lookup(false, List.of());

  /** Copies the entries so the result is immutable. */
  public Lookup {
    entries = List.copyOf(entries);
  }
}
