export { type ArithmeticHeader, type ArithmeticLine, arithmeticWarnings } from "./arithmetic";
export {
  fromUnits,
  isIsoDate,
  isMoney,
  isQuantity,
  lineProduct,
  moneyPattern,
  quantityPattern,
  toUnits,
} from "./money";
