import { defineConfig } from 'vite';

// The page's Content-Security-Policy (index.html) allows styles from 'self' only. Vite's dev server injects CSS as
// <style> elements, so only while developing, relax style-src; the built page keeps the strict policy.
function devStyles() {
  return {
    name: 'fn-calls-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  };
}

export default defineConfig({
  plugins: [devStyles()],
  // fn-calls loads its .wasm with new URL(..., import.meta.url): keep it out of dependency pre-bundling so that
  // URL still points next to the module.
  optimizeDeps: { exclude: ['fn-calls'] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1500 },
  server: { host: '127.0.0.1', port: 5173, fs: { allow: ['..'] } },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true },
});
