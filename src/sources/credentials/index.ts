/** Registry credentials: bound to their registry, read as the Docker CLI reads them, masked. */
export { bindCredentials, type BindRequest } from './bind-credentials.js'
export { findCredentials, type CredentialOptions, type Credentials } from './find-credentials.js'
