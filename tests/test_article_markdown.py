import polib

from conftest import FIXTURES
from localize.readers import parse_article


def article():
    return parse_article((FIXTURES / "article.md").read_bytes(), "article.md")


def test_blocks_and_kinds():
    blocks = article().blocks
    assert [(b.kind, b.line) for b in blocks] == [
        ("title", 5), ("paragraph", 7), ("heading", 10), ("quote", 12), ("paragraph", 15),
        ("list_item", 17), ("list_item", 18), ("paragraph", 24)]
    assert blocks[2].level == 2


def test_emphasis_and_links_become_numbered_placeholders():
    blocks = article().blocks
    assert blocks[0].text == "Macron calls for <1>dismantling</1> Iraq's militias"
    assert (blocks[0].inline[0].open, blocks[0].inline[0].close) == ("*", "*")
    paragraph = blocks[1]
    assert "including the <1>Popular Mobilisation Forces</1>. It was a rare call." in paragraph.text
    link = paragraph.inline[0]
    assert (link.open, link.close) == ("[", '](https://example.org/pmf "PMF")')
    assert link.description == "link to https://example.org/pmf"


def test_soft_breaks_join_and_code_blocks_are_left_out():
    blocks = article().blocks
    assert "militias, including" in blocks[1].text
    assert not any("code is not translated" in b.text for b in blocks)


def test_inline_code_images_and_hard_breaks_are_standalone_placeholders():
    last = article().blocks[-1]
    assert last.text == "See <1/> and <2/> for details.<3/>A second line after a hard break."
    assert [i.open for i in last.inline] == ["`IMIS`", "![a map](map.png)", "\\\n"]


def test_front_matter_is_metadata():
    metadata = article().metadata
    assert metadata["author"] == "Desk Reporter"
    assert metadata["date"] == "2017-12-07"


def test_front_matter_title_is_the_title():
    data = b"---\ntitle: Iraq votes\n---\n\nParliament voted.\n\n## Reactions\n"
    blocks = parse_article(data, "a.md").blocks
    assert [(b.kind, b.text) for b in blocks] == [
        ("title", "Iraq votes"), ("paragraph", "Parliament voted."), ("heading", "Reactions")]


def test_markdown_without_heading_has_no_title():
    article = parse_article(b"Just a paragraph.\n", "a.md")
    assert article.title is None
    assert article.blocks[0].kind == "paragraph"


def test_list_items_keep_their_marker_and_depth_and_inline_markup_its_html():
    text = "Title\n\n3. Third [link](https://e.com/ \"T\")\n4. Fourth `code`\n   - nested *em*\n"
    article = parse_article(text.encode(), "list.md")
    items = [(b.marker, b.level, b.text) for b in article.blocks if b.kind == "list_item"]
    assert items == [("3.", 1, "Third <1>link</1>"), ("4.", 1, "Fourth <1/>"), ("-", 2, "nested <1>em</1>")]
    link, code, em = (article.blocks[i].inline[0] for i in (1, 2, 3))
    assert link.html_markup == ('<a href="https://e.com/" title="T">', "</a>")
    assert code.html_markup == ("<code>code</code>", "")
    assert (em.open, em.html_markup) == ("*", ("<em>", "</em>"))


def test_a_front_matter_title_and_the_same_h1_are_one_title():
    data = (b"---\ntitle: Talks resume in Vienna\ndate: 2017-12-08\nsource: ../drafts/talks.docx\n---\n\n"
            b"# Talks resume *in* Vienna\n\nThe talks resumed.\n")
    blocks = parse_article(data, "a.md").blocks
    assert [(b.kind, b.text, b.line) for b in blocks] == [
        ("title", "Talks resume <1>in</1> Vienna", 7), ("paragraph", "The talks resumed.", 9)]
    different = b"---\ntitle: Talks resume\n---\n\n# Diplomats return to Vienna\n\nThe talks resumed.\n"
    assert [(b.kind, b.text) for b in parse_article(different, "a.md").blocks] == [
        ("title", "Talks resume"), ("heading", "Diplomats return to Vienna"), ("paragraph", "The talks resumed.")]


def test_a_date_alone_is_published_as_a_date_and_the_source_path_is_not_published(run, project):
    (project / "talks.md").write_text("---\ntitle: Talks resume\ndate: 2017-12-08\nsource: /home/desk/drafts/t.docx\n"
                                      "---\n\n# Talks resume\n\nThe talks resumed.\n", encoding="utf-8")
    assert run("translate", "--no-mt", "talks.md").exit_code == 0
    po = polib.pofile(str(project / "translations/ar/talks.po"))
    assert [entry.msgid for entry in po] == ["Talks resume", "The talks resumed."]  # one title, translated once
    for entry, arabic in zip(po, ["استئناف المحادثات", "استؤنفت المحادثات."]):
        entry.msgstr, entry.flags = arabic, []
    po.save()
    assert run("publish", "--format", "html", "--format", "md", "translations/ar/talks.po").exit_code == 0
    page = (project / "editions/talks.ar.html").read_text(encoding="utf-8")
    assert "الجمعة، 8 ديسمبر 2017" in page and "ص" not in page.split("8 ديسمبر 2017")[1][:10]
    assert page.count("<h1") == 1 and "<h2" not in page
    markdown = (project / "editions/talks.ar.md").read_text(encoding="utf-8")
    front_matter = markdown.split("---\n")[1]
    assert 'published: "2017-12-08"\n' in front_matter and "source" not in front_matter
    assert "drafts" not in page and "drafts" not in markdown
