// The kinds of file the app takes: where each is kept, the multipart field it arrives in, the types
// it may be, and what its file name starts with (the product, user or ticket it belongs to). The
// multipart routes and direct uploads read the same rules.
import { ATTACHMENT_TYPES, IMAGE_TYPES } from './storage.js';

/** Where a file too big for the function's request body is presigned, to be uploaded straight to the storage. */
export const PRESIGN_ROUTE = '/api/uploads/presign';

export interface UploadKind {
  name: 'product-image' | 'avatar' | 'support-attachment';
  /** The uploads folder (product-images), which S3 keeps under its prefix (products/). */
  folder: string;
  /** The multipart field of its upload route. */
  field: string;
  types: readonly string[];
  /** File names start with this letter and the owner's id: p8-..., u40-..., t3-... */
  ownerLetter: string;
  /** The route that takes the file (multipart) or confirms its direct upload ({ key }). */
  route(ownerId: number): string;
}

export const PRODUCT_IMAGE = {
  name: 'product-image', folder: 'product-images', field: 'image', types: IMAGE_TYPES, ownerLetter: 'p',
  route: (id: number) => `/api/products/${id}/images`,
} as const satisfies UploadKind;
export const AVATAR = {
  name: 'avatar', folder: 'user-avatars', field: 'avatar', types: IMAGE_TYPES, ownerLetter: 'u',
  route: () => '/api/users/me/avatar',
} as const satisfies UploadKind;
export const SUPPORT_ATTACHMENT = {
  name: 'support-attachment', folder: 'support-attachments', field: 'file', types: ATTACHMENT_TYPES, ownerLetter: 't',
  route: (id: number) => `/api/support/tickets/${id}/attachments`,
} as const satisfies UploadKind;
