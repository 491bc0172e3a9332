import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { parseDevServerEnv } from "./dev-server-env";

// The SPA talks to the API on its own origin only (/api/...), so cookies and the SSE stream work
// without CORS. In development that origin is Vite's, which forwards /api to the API server.
const settings = parseDevServerEnv(process.env);
const proxy = { "/api": { target: settings.apiUrl, changeOrigin: false } };

export default defineConfig({
  plugins: [react()],
  server: { port: settings.port, strictPort: true, proxy },
  preview: { port: 4173, proxy },
  build: { target: "es2022", sourcemap: false },
});
