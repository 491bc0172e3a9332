/**
 * Letters tesseract substitutes for digits inside numbers ("Z5/12/2018", "1O.50",
 * "D3/D6/2017"). A letter is only replaced when it touches a digit, in a token that is mostly
 * digits already and not next to a plain letter, so "SI-2019-0042" and "GB590667512" are
 * left alone. One character for one: positions
 * in the row text stay valid.
 */
const lookalikes: Record<string, string> = {
  O: "0",
  o: "0",
  D: "0",
  Q: "0",
  I: "1",
  l: "1",
  "|": "1",
  Z: "2",
  z: "2",
  S: "5",
  B: "8",
};
const lookalike = /[OoDQIl|ZzSB]/;

export function repairDigits(text: string): string {
  return text.replace(
    /[\dOoDQIl|ZzSB][\dOoDQIl|ZzSB/.,:-]*[\dOoDQIl|ZzSB]/g,
    (token, offset: number, text: string) => {
      // A token glued to a plain letter is a prefixed code ("GB590667512"), not a number.
      if (/[A-Za-z]/.test(text[offset - 1] ?? "")) return token;
      const digits = token.replace(/\D/g, "").length;
      const letters = token.replace(/[^OoDQIl|ZzSB]/g, "").length;
      if (letters === 0 || digits < 3 || letters > 2 || letters * 3 > digits) return token;
      return [...token]
        .map((char, i) => {
          const neighbours = `${token[i - 1] ?? ""}${token[i + 1] ?? ""}`;
          // Next to a plain letter it is a prefix ("GB123…", "DE…"), not a misread digit.
          const fix =
            lookalike.test(char) &&
            /\d/.test(neighbours) &&
            !/[A-Za-z]/.test(neighbours.replace(/[OoDQIlZzSB]/g, ""));
          return fix ? (lookalikes[char] ?? char) : char;
        })
        .join("");
    },
  );
}
