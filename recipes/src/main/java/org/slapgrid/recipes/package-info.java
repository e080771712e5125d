/** The standard recipes (Recipe SPI implementations, found with ServiceLoader). */
package org.slapgrid.recipes;
