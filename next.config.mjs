/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite (WASM + its own files) and pg must be loaded by Node, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "write-excel-file"],
  poweredByHeader: false,
  // Types are checked by `npm run typecheck` (run by `npm test`) over the whole tree, engine included.
  typescript: { ignoreBuildErrors: true },
  devIndicators: false,
};

export default nextConfig;
