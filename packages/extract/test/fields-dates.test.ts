import { describe, expect, it } from "vitest";
import {
  detectDateOrder,
  findDates,
  isRealDate,
  parseCompactDate,
  parseDate,
} from "../src/fields/dates";

describe("parseDate", () => {
  it("reads numeric dates in the document's order", () => {
    expect(parseDate("25/12/2018", "dmy")).toBe("2018-12-25");
    expect(parseDate("03/04/2024", "dmy")).toBe("2024-04-03");
    expect(parseDate("03/04/2024", "mdy")).toBe("2024-03-04");
    expect(parseDate("25.12.2018", "dmy")).toBe("2018-12-25");
    expect(parseDate("19-03-2018", "dmy")).toBe("2018-03-19");
  });

  it("lets an impossible month settle the order", () => {
    expect(parseDate("12/25/2018", "dmy")).toBe("2018-12-25");
    expect(parseDate("25/12/2018", "mdy")).toBe("2018-12-25");
  });

  it("reads year-first, month names and two-digit years", () => {
    expect(parseDate("2018-12-25", "mdy")).toBe("2018-12-25");
    expect(parseDate("25 Dec 2018", "mdy")).toBe("2018-12-25");
    expect(parseDate("30 DEC 17", "dmy")).toBe("2017-12-30");
    expect(parseDate("Dec 25, 2018", "dmy")).toBe("2018-12-25");
    expect(parseDate("September 3, 2024", "dmy")).toBe("2024-09-03");
    expect(parseDate("25. Dezember 2018", "dmy")).toBe("2018-12-25");
    expect(parseDate("3. März 2024", "dmy")).toBe("2024-03-03");
    expect(parseDate("21/02/18", "dmy")).toBe("2018-02-21");
  });

  it("rejects dates that are not on the calendar", () => {
    expect(parseDate("31.02.2018", "dmy")).toBeNull();
    expect(parseDate("29/02/2023", "dmy")).toBeNull();
    expect(parseDate("29/02/2024", "dmy")).toBe("2024-02-29");
    expect(parseDate("00/10/2020", "dmy")).toBeNull();
    expect(parseDate("not a date", "dmy")).toBeNull();
    expect(isRealDate(2024, 13, 1)).toBe(false);
  });

  it("repairs an OCR 8 read for a 0 and a lost separator", () => {
    expect(parseDate("17/83/2017", "dmy")).toBe("2017-03-17");
    expect(parseDate("2107/2017", "dmy")).toBe("2017-07-21");
  });

  it("reads eight-digit dates only on request", () => {
    expect(parseCompactDate("25032018")).toBe("2018-03-25");
    expect(parseCompactDate("20181225")).toBe("2018-12-25");
    expect(parseCompactDate("99999999")).toBeNull();
  });
});

describe("findDates", () => {
  it("finds a date beside a time", () => {
    const [date] = findDates("Date: 11/03/18 21:30", "dmy");
    expect(date?.value).toBe("2018-03-11");
    expect(date?.unambiguous).toBe(false);
  });
});

describe("detectDateOrder", () => {
  it("uses unambiguous dates first, then the document's conventions", () => {
    expect(detectDateOrder(["Invoice Date: 03/04/2024", "Due Date: 04/30/2024"])).toBe("mdy");
    expect(detectDateOrder(["Rechnungsdatum: 03.04.2024"])).toBe("dmy");
    expect(detectDateOrder(["Date 03/04/2024", "Total USD 12.00"])).toBe("mdy");
    expect(detectDateOrder(["Date 03/04/2024", "TOTAL RM 12.00"])).toBe("dmy");
  });
});
