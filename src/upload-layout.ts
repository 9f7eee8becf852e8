// Where each top-level uploads folder lives in the bucket: the one layout `migrate files` moves the legacy
// files into and the serverless app writes new uploads to, so old and new files sit side by side.

export const UPLOAD_FOLDER_PREFIXES: Readonly<Record<string, string>> = {
  'product-images': 'products/',
  'user-avatars': 'avatars/',
  'journal-images': 'journals/',
  'support-attachments': 'support/',
  'vendor-assets': 'vendor/',
};
