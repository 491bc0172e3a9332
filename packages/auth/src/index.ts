export {
  type Auth,
  type AuthConfig,
  createAuth,
  defaultJwtExpirySeconds,
  type PasswordHasher,
} from "./create-auth";
export { ac, can, type Permission, type Role, roles, statement } from "./permissions";
