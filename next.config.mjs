/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite (WASM + its own files) and pg must be loaded by Node, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "write-excel-file"],
  poweredByHeader: false,
  devIndicators: false,
};

export default nextConfig;
