// express5 is an npm alias of express@5 (installed next to Express 4 for the shim's tests); its API
// as far as the tests use it is Express's.
declare module 'express5' {
  import express from 'express';
  export default express;
}
