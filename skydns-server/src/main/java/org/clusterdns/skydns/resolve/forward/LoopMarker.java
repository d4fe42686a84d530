package org.clusterdns.skydns.resolve.forward;

import java.util.List;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/**
 * The EDNS0 option SkyDNS puts on queries it sends to a stub zone's servers: code 65011 (in the
 * local/experimental range) with the one byte 0x01. A query that arrives carrying it was already
 * forwarded by a SkyDNS, so it is never forwarded again: two servers configured as each other's
 * stub cannot pass a query back and forth.
 */
public final class LoopMarker {
  /** The option code SkyDNS chose: the start of the local range (65001) plus 10. */
  public static final int CODE = 65011;
  private static final byte[] DATA = {1};

  private LoopMarker() {}

  /** Returns the option to add to a forwarded query. */
  static EDNSOption option() {
    return new GenericEDNSOption(CODE, DATA.clone());
  }

  /**
   * Returns whether {@code query} carries the marker. Any option with the code counts, whatever
   * its data: refusing a doubtful query costs less than a loop.
   */
  public static boolean isPresent(Message query) {
    OPTRecord opt = query.getOPT();
    if (opt == null) {
      return false;
    }
    List<EDNSOption> options = opt.getOptions(CODE);
    return !options.isEmpty();
  }
}
