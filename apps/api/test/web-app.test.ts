import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webAppHandler } from "../src/web-app";

/* The built SPA on the API's port: files, deep links, and nothing outside its folder. */

let root: string;
let app: Hono;

beforeAll(() => {
  const base = mkdtempSync(join(tmpdir(), "remit-web-"));
  root = join(base, "dist");
  mkdirSync(join(root, "assets"), { recursive: true });
  writeFileSync(join(root, "index.html"), "<!doctype html><div id=root></div>");
  writeFileSync(join(root, "assets", "index-abc123.js"), "console.log(1)");
  writeFileSync(join(base, "secret.txt"), "outside the web root");
  app = new Hono();
  const web = webAppHandler({ root });
  app.get("*", (c) => web(c));
});

afterAll(() => rmSync(join(root, ".."), { recursive: true, force: true }));

describe("serving the SPA", () => {
  it("serves index.html for the app's routes, with a content security policy", async () => {
    for (const path of ["/", "/invoices/3f0c", "/inbox?status=draft"]) {
      const response = await app.request(path);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("<div id=root>");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(response.headers.get("cache-control")).toBe("no-cache");
    }
  });

  it("serves hashed assets as immutable, and a missing asset as 404 rather than HTML", async () => {
    const asset = await app.request("/assets/index-abc123.js");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await app.request("/assets/index-gone.js")).status).toBe(404);
  });

  it("never serves a file outside its folder", async () => {
    for (const path of ["/..%2fsecret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"]) {
      const response = await app.request(path);
      expect(await response.text()).not.toContain("outside the web root");
    }
  });
});
