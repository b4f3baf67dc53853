// English messages of a part loaded on demand, picked by the build (editor/vite.config.ts, LAZY_PARTS).
declare module '*?catalog-part=events' {
  const part: Record<string, unknown>;
  export default part;
}
declare module '*?catalog-part=admin' {
  const part: Record<string, unknown>;
  export default part;
}
declare module '*?catalog-part=consolidation' {
  const part: Record<string, unknown>;
  export default part;
}
declare module '*?catalog-part=find' {
  const part: Record<string, unknown>;
  export default part;
}
