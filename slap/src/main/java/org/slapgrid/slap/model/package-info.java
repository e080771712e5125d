/**
 * The JSON payloads of the slap protocol (docs/protocol.md). Every payload is a record; field
 * names are the JSON names. Enumerations serialise in lower case.
 */
package org.slapgrid.slap.model;
