/** The node/master protocol: JSON records and the HTTP client (see docs/protocol.md). */
package org.slapgrid.slap;
