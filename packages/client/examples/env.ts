// The examples' one reading of the environment: where Remit is, and (for the export) a token.
export const remitUrl = process.env.REMIT_URL ?? "http://127.0.0.1:3000";
export const remitToken = process.env.REMIT_TOKEN;
