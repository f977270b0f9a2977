#ifndef KIOSKBRIDGE_CLIBXML2_SHIM_H
#define KIOSKBRIDGE_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU; its headers then clash with Foundation's own ICU module.
   The bridge never uses libxml2's ICU-based encoding conversion directly. */
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>

#endif
