export * from "./audit";
export * from "./auth";
export * from "./documents";
export * from "./invoices";
export * from "./ocr-jobs";
export * from "./platform";
export * from "./suppliers";
export * from "./violations";
