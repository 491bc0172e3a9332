/*
 * @remit/extract/einvoice: the e-invoice reader alone (a safe XML parser and the CII/UBL
 * readers), for the API to recognise an XML upload without loading the OCR engine or mupdf.
 */
export { ExtractError, type ExtractErrorCode } from "../errors";
export { type EInvoiceReading, readEInvoiceXml } from "./read";
export { defaultXmlLimits, type XmlLimits } from "./xml/parse";
