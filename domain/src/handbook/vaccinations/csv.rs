//! Just enough CSV (RFC 4180: commas, double-quoted fields, `""` inside quotes) for the
//! two rule files, with columns found by their header names.

/// A table: the header and the rows, each with its line number (1 = the header).
pub(super) struct Table<'a> {
    header: Vec<&'a str>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl<'a> Table<'a> {
    pub fn parse(text: &'a str) -> Result<Table<'a>, String> {
        let mut lines = text.lines().enumerate();
        let header: Vec<&str> = lines
            .next()
            .ok_or("empty file")?
            .1
            .trim_end_matches('\r')
            .split(',')
            .collect();
        let mut rows = Vec::new();
        for (i, line) in lines {
            let line = line.trim_end_matches('\r');
            if line.is_empty() {
                continue;
            }
            let fields = fields(line).ok_or_else(|| format!("line {}: bad quoting", i + 1))?;
            if fields.len() != header.len() {
                return Err(format!(
                    "line {}: {} fields, the header has {}",
                    i + 1,
                    fields.len(),
                    header.len()
                ));
            }
            rows.push((i + 1, fields));
        }
        Ok(Table { header, rows })
    }

    /// Where a column is, or an error naming it.
    pub fn column(&self, name: &str) -> Result<usize, String> {
        self.header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| format!("no column {name}"))
    }
}

fn fields(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => break,
                    c => field.push(c),
                }
            }
            match chars.next() {
                None => {
                    out.push(field);
                    return Some(out);
                }
                Some(',') => {}
                Some(_) => return None,
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        out.push(field);
                        return Some(out);
                    }
                    Some(',') => break,
                    Some('"') => return None,
                    Some(c) => field.push(c),
                }
            }
        }
        out.push(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_their_commas() {
        let t = Table::parse("a,b,c\n1,\"x, \"\"y\"\"\",\n").unwrap();
        assert_eq!(
            t.rows,
            vec![(2, vec!["1".into(), "x, \"y\"".into(), String::new()])]
        );
        assert_eq!(t.column("c"), Ok(2));
        assert!(Table::parse("a,b\n1\n").is_err());
        assert!(Table::parse("a,b\n\"1,2\n").is_err());
    }
}
