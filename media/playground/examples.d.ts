// Resolved at build time by media/playground/build.mjs: every examples/*.topo, file name -> text.
declare module 'topo-examples' {
  const examples: Readonly<Record<string, string>>;
  export default examples;
}
