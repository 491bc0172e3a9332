import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The SPA talks to the API on its own origin only (/api/...), so cookies and the SSE stream work
// without CORS. In development that origin is Vite's, which forwards /api to the API server.
const api = process.env.REMIT_API_URL ?? "http://127.0.0.1:3000";
const proxy = { "/api": { target: api, changeOrigin: false } };

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true, proxy },
  preview: { port: 4173, proxy },
  build: { target: "es2022", sourcemap: false },
});
