// simple-peer's own browser bundle: the same library with its Node-style dependencies (Buffer,
// streams, `global`) built in, so the page needs no polyfills. Typed as the package itself.
declare module 'simple-peer/simplepeer.min.js' {
  import SimplePeer from 'simple-peer';
  export default SimplePeer;
}
