// How to reach the bucket: shared by the plain HTTP client (s3-http.ts) and the SDK one (s3.ts).

export interface S3Options {
  endpoint?: string;
  region?: string;
  /**
   * 'when-required' sends no optional checksums: S3-compatible servers that do not understand the SDK's
   * aws-chunked checksum framing otherwise store it inside the object. AWS itself takes 'when-supported'.
   * (Requests sent here carry Content-MD5 or a signed SHA-256 of the body instead, which every server takes.)
   */
  checksums: 'when-supported' | 'when-required';
}
