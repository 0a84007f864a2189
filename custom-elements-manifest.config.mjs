// Custom elements manifest for the web widget:
//   npx cem analyze --config custom-elements-manifest.config.mjs   -> dist/custom-elements.json
const STATE_PROPERTIES = ['draft', 'askContext', 'atStart', 'atEnd'];

export default {
  globs: ['widget/**/*.ts'],
  exclude: ['widget/**/*.test.ts', 'widget/test-utils.ts', 'widget/build.config.ts', 'widget/loader.ts', 'widget/widget-entry.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  plugins: [
    {
      // Drop private and protected members: the manifest documents the public surface only.
      name: 'vitrine-public-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules ?? []) {
          for (const decl of mod.declarations ?? []) {
            if (decl.members) decl.members = decl.members.filter((m) => !m.privacy || m.privacy === 'public');
            // lit `state: true` properties are not attributes.
            if (decl.attributes) decl.attributes = decl.attributes.filter((a) => !STATE_PROPERTIES.includes(a.fieldName));
          }
        }
      },
    },
  ],
};
