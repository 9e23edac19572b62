/**
 * Kept so that modules importing the sign-in app id from here keep working while they move
 * to `azure/credentials.ts`, where the credential kinds now live. Nothing else is here:
 * decoding by kind is `credential-kinds.ts`.
 */

/** The app (client) id a credential signs in as; see `azure/credentials.ts`. */
export { clientIdOf } from "./azure/credentials.js";
