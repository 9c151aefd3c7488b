// SPDX-License-Identifier: GPL-3.0-or-later
// Renders an XEP-0004 data form (with XEP-0221 media) as widgets and collects the user's answers.
#include "DataFormWidget.h"

#include "common/JidValidator.h"
#include "presenters/ErrorPresenter.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QStyle>
#include <QTextDocument>
#include <QUrl>
#include <QVBoxLayout>
#include <cmath>

namespace Natter::Ui {

using Core::JidValidator;
using Field = QXmppDataForm::Field;

namespace {

constexpr QSize maxMediaSize(320, 240);
constexpr int maxVisibleListRows = 8;
// Between the check boxes of a list-multi field, and between them and its frame.
constexpr int listSpacing = 3;
// A label column at least this wide (when the form is twice as wide) or 40% of the form, whichever is
// wider, keeps labels such as "Persistent (room should remain even when it is empty)" on one or two lines.
constexpr int minLabelWidth = 220;
constexpr int maxLabelPercent = 40;
constexpr qsizetype maxHeadingLength = 60;
constexpr int textEditLines = 5;
const auto errorColor = QStringLiteral("#c62828");

// Servers indent multi-line texts in their XML; keep the line breaks, drop the indentation.
QString tidyText(const QString &text)
{
    QStringList lines;
    for (const QString &line : text.split(u'\n')) {
        if (!line.trimmed().isEmpty())
            lines.append(line.trimmed());
    }
    return lines.join(u'\n');
}

// XEP-0004 has no headings: servers use short fixed fields as section titles ("Room information") and
// longer ones to explain the fields below them, which read better as ordinary text.
bool isHeading(const QString &text)
{
    return !text.isEmpty() && text.size() <= maxHeadingLength && !text.contains(u'\n') &&
           !text.endsWith(u'.');
}

QString fieldName(const Field &field)
{
    return field.label().isEmpty() ? field.key() : field.label();
}

// data:[<media type>][;base64],<data> (RFC 2397)
QByteArray decodeDataUri(const QUrl &uri)
{
    const QByteArray encoded = uri.toEncoded();
    const qsizetype comma = encoded.indexOf(',');
    if (comma < 0)
        return {};
    const QByteArray header = encoded.left(comma);
    const QByteArray payload = QByteArray::fromPercentEncoding(encoded.mid(comma + 1));
    return header.endsWith(";base64") ? QByteArray::fromBase64(payload) : payload;
}

bool isWebUri(const QUrl &uri)
{
    const QString scheme = uri.scheme().toLower();
    return scheme == u"http" || scheme == u"https";
}

QImage fitted(const QImage &image)
{
    if (image.width() <= maxMediaSize.width() && image.height() <= maxMediaSize.height())
        return image;
    return image.scaled(maxMediaSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

QPlainTextEdit *createLinesEdit(const QStringList &lines)
{
    auto *edit = new QPlainTextEdit(lines.join(u'\n'));
    edit->setTabChangesFocus(true);
    edit->setFixedHeight(edit->fontMetrics().lineSpacing() * textEditLines + 2 * edit->frameWidth() +
                         2 * int(edit->document()->documentMargin()));
    return edit;
}

QComboBox *createComboBox(const Field &field)
{
    auto *combo = new QComboBox;
    for (const auto &[label, value] : field.options())
        combo->addItem(label.isEmpty() ? value : label, value);
    const QString value = field.value().toString();
    // Keep a current value the options do not list rather than silently replacing it.
    if (!value.isEmpty() && combo->findData(value) < 0)
        combo->addItem(value, value);
    combo->setPlaceholderText(DataFormWidget::tr("Choose…"));
    combo->setCurrentIndex(value.isEmpty() ? -1 : combo->findData(value));
    return combo;
}

QListWidget *createCheckList(const Field &field)
{
    auto *list = new QListWidget;
    const QStringList values = field.value().toStringList();
    auto addItem = [&](const QString &label, const QString &value) {
        auto *item = new QListWidgetItem(label.isEmpty() ? value : label, list);
        item->setData(Qt::UserRole, value);
        item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        item->setCheckState(values.contains(value) ? Qt::Checked : Qt::Unchecked);
    };
    QStringList offered;
    for (const auto &[label, value] : field.options()) {
        addItem(label, value);
        offered.append(value);
    }
    for (const QString &value : values) {
        if (!offered.contains(value))
            addItem(value, value);
    }
    list->setSpacing(listSpacing);
    const int rows = qMax(qMin(list->count(), maxVisibleListRows), 1);
    const int rowHeight = list->count() > 0 ? list->sizeHintForRow(0) : list->fontMetrics().height();
    // QListView pads every row with the spacing above and below it.
    list->setFixedHeight(rows * (rowHeight + 2 * listSpacing) + 2 * list->frameWidth());
    return list;
}

QLabel *createLabel(const Field &field)
{
    auto *label = new QLabel;
    label->setObjectName(QStringLiteral("label:") + field.key());
    const QString name = fieldName(field).toHtmlEscaped();
    if (field.isRequired()) {
        label->setText(QStringLiteral("%1 <span style=\"color: %2;\">*</span>").arg(name, errorColor));
        label->setToolTip(DataFormWidget::tr("Required"));
    } else {
        label->setText(name);
    }
    label->setTextFormat(Qt::RichText);
    label->setWordWrap(true);
    return label;
}

// The width a label takes on one line, without wrapping.
int naturalWidth(const QLabel *label)
{
    QTextDocument document;
    document.setDefaultFont(label->font());
    document.setDocumentMargin(0);
    document.setHtml(label->text());
    return int(std::ceil(document.idealWidth()));
}

QLabel *createSmallText(const QString &text)
{
    auto *label = new QLabel(text);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    label->setFont(font);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

DataFormWidget::DataFormWidget(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_instructions(new QLabel(this))
    , m_scrollArea(new QScrollArea(this))
{
    m_title->setObjectName(QStringLiteral("formTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_title->hide();

    m_instructions->setObjectName(QStringLiteral("formInstructions"));
    m_instructions->setTextFormat(Qt::PlainText);
    m_instructions->setWordWrap(true);
    m_instructions->hide();

    m_scrollArea->setObjectName(QStringLiteral("formScrollArea"));
    m_scrollArea->setWidgetResizable(true);
    m_scrollArea->setFrameShape(QFrame::NoFrame);
    // Its width decides the labels' width.
    m_scrollArea->viewport()->installEventFilter(this);

    setStyleSheet(QStringLiteral("QLineEdit[invalid=\"true\"], QPlainTextEdit[invalid=\"true\"] "
                                 "{ border: 1px solid %1; }")
                      .arg(errorColor));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_instructions);
    layout->addWidget(m_scrollArea, 1);
}

void DataFormWidget::setForm(const QXmppDataForm &form)
{
    // Delete the old widgets before forgetting their rows: their signals refer to rows by index.
    delete m_scrollArea->takeWidget();
    m_rows.clear();
    m_labels.clear();
    m_form = form;

    m_title->setText(tidyText(form.title()));
    m_title->setVisible(m_titleVisible && hasTitle());
    m_instructions->setText(tidyText(form.instructions()));
    m_instructions->setVisible(!m_instructions->text().isEmpty());

    m_content = new QWidget;
    auto *contentLayout = new QVBoxLayout(m_content);
    m_fields = new QFormLayout;
    m_fields->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    contentLayout->addLayout(m_fields);
    // Height the fields do not need goes below the last one, not between the rows.
    contentLayout->addStretch(1);
    for (const Field &field : form.fields())
        addField(m_fields, field);
    m_scrollArea->setWidget(m_content);
    updateLabelWidth();
    updateValidity();
}

bool DataFormWidget::hasTitle() const
{
    return !m_title->text().isEmpty();
}

void DataFormWidget::setTitleVisible(bool visible)
{
    m_titleVisible = visible;
    m_title->setVisible(m_titleVisible && hasTitle());
}

void DataFormWidget::focusFirstField()
{
    for (const FieldRow &row : std::as_const(m_rows)) {
        if (!row.input || !row.input->isEnabled())
            continue;
        row.input->setFocus(Qt::OtherFocusReason);
        m_scrollArea->ensureWidgetVisible(row.input);
        return;
    }
}

bool DataFormWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_scrollArea->viewport() && event->type() == QEvent::Resize)
        updateLabelWidth();
    return QWidget::eventFilter(watched, event);
}

void DataFormWidget::setMediaResolver(MediaResolver resolver)
{
    m_mediaResolver = std::move(resolver);
    for (const FieldRow &row : std::as_const(m_rows)) {
        if (row.mediaLabel)
            showMedia(row.mediaLabel, row.field.mediaSources());
    }
}

QXmppDataForm DataFormWidget::submission() const
{
    QXmppDataForm result(QXmppDataForm::Submit);
    for (const FieldRow &row : m_rows) {
        if (row.field.key().isEmpty())
            continue;
        result.fields().append(Field(row.field.type(), row.field.key(), currentValue(row)));
    }
    return result;
}

bool DataFormWidget::validate()
{
    FieldRow *firstInvalid = nullptr;
    for (FieldRow &row : m_rows) {
        if (!row.input)
            continue;
        const QString problem = problemOf(row);
        showProblem(row, problem);
        if (!problem.isEmpty() && !firstInvalid)
            firstInvalid = &row;
    }
    updateValidity();
    if (!firstInvalid)
        return true;
    m_scrollArea->ensureWidgetVisible(firstInvalid->input);
    firstInvalid->input->setFocus(Qt::OtherFocusReason);
    return false;
}

bool DataFormWidget::isValid() const
{
    return firstError().isEmpty();
}

QString DataFormWidget::firstError() const
{
    for (const FieldRow &row : m_rows) {
        if (!row.input)
            continue;
        const QString problem = problemOf(row);
        if (!problem.isEmpty())
            return tr("%1: %2").arg(fieldName(row.field), problem);
    }
    return {};
}

void DataFormWidget::addField(QFormLayout *layout, const Field &field)
{
    if (field.type() == Field::HiddenField) {
        m_rows.append(FieldRow{field});
        return;
    }
    if (field.type() == Field::FixedField) {
        addFixedText(layout, field);
        return;
    }

    FieldRow row{field};
    auto *cell = new QWidget;
    auto *cellLayout = new QVBoxLayout(cell);
    cellLayout->setContentsMargins(0, 0, 0, 0);

    row.mediaLabel = createMediaLabel(field);
    if (row.mediaLabel)
        cellLayout->addWidget(row.mediaLabel);

    row.input = createInput(field);
    row.input->setObjectName(QStringLiteral("field:") + field.key());
    row.input->setToolTip(field.description());
    cellLayout->addWidget(row.input);

    if (!field.description().isEmpty()) {
        auto *description = createSmallText(field.description());
        description->setObjectName(QStringLiteral("description:") + field.key());
        cellLayout->addWidget(description);
    }

    row.errorLabel = new QLabel;
    row.errorLabel->setObjectName(field.key() + QStringLiteral("Error"));
    row.errorLabel->setTextFormat(Qt::PlainText);
    row.errorLabel->setWordWrap(true);
    row.errorLabel->setStyleSheet(QStringLiteral("color: %1;").arg(errorColor));
    row.errorLabel->hide();
    cellLayout->addWidget(row.errorLabel);

    auto *label = addLabel(field);
    label->setBuddy(row.input);
    layout->addRow(label, cell);

    m_rows.append(row);
    watchInput(m_rows.size() - 1);
}

// Section text only: never submitted, so it gets no row.
void DataFormWidget::addFixedText(QFormLayout *layout, const Field &field)
{
    const QString value = tidyText(field.value().toStringList().join(u'\n'));
    auto *text = new QLabel(value);
    text->setObjectName(QStringLiteral("fixed"));
    text->setTextFormat(Qt::PlainText);
    text->setWordWrap(true);
    if (!field.label().isEmpty()) {
        layout->addRow(addLabel(field), text);
        return;
    }
    if (isHeading(value)) {
        QFont font = text->font();
        font.setBold(true);
        text->setFont(font);
        // Sets the section apart from the fields above it; the first one follows the instructions closely.
        if (layout->rowCount() > 0)
            text->setContentsMargins(0, text->fontMetrics().height() * 2 / 3, 0, 0);
    }
    layout->addRow(text);
}

QLabel *DataFormWidget::addLabel(const Field &field)
{
    QLabel *label = createLabel(field);
    m_labels.append(label);
    return label;
}

// Labels get the width they need on one line, up to the limit of the form's width; one width for all of
// them keeps the fields aligned.
void DataFormWidget::updateLabelWidth()
{
    if (m_labels.isEmpty() || !m_content)
        return;
    int natural = 0;
    for (const QLabel *label : std::as_const(m_labels))
        natural = qMax(natural, naturalWidth(label));
    const QMargins margins = m_content->layout()->contentsMargins();
    const int row = m_scrollArea->viewport()->width() - margins.left() - margins.right() -
                    qMax(m_fields->horizontalSpacing(), 0);
    const int limit = qMax(row * maxLabelPercent / 100, qMin(minLabelWidth, row / 2));
    const int width = qMax(qMin(natural, limit), 1);
    for (QLabel *label : std::as_const(m_labels))
        label->setFixedWidth(width);
}

QWidget *DataFormWidget::createInput(const Field &field)
{
    switch (field.type()) {
    case Field::BooleanField: {
        auto *box = new QCheckBox;
        box->setChecked(field.value().toBool());
        return box;
    }
    case Field::TextPrivateField: {
        auto *edit = new QLineEdit(field.value().toString());
        edit->setEchoMode(QLineEdit::Password);
        return edit;
    }
    case Field::JidSingleField: {
        auto *edit = new QLineEdit(field.value().toString());
        edit->setPlaceholderText(tr("name@example.org"));
        return edit;
    }
    case Field::TextMultiField:
    case Field::JidMultiField:
        return createLinesEdit(field.value().toStringList());
    case Field::ListSingleField:
        return createComboBox(field);
    case Field::ListMultiField:
        return createCheckList(field);
    case Field::TextSingleField:
    case Field::FixedField:
    case Field::HiddenField:
        break;
    }
    return new QLineEdit(field.value().toString());
}

QLabel *DataFormWidget::createMediaLabel(const Field &field)
{
    if (field.mediaSources().isEmpty())
        return nullptr;
    auto *label = new QLabel;
    label->setObjectName(QStringLiteral("media:") + field.key());
    label->setOpenExternalLinks(true);
    label->setTextInteractionFlags(Qt::TextBrowserInteraction);
    label->setWordWrap(true);
    showMedia(label, field.mediaSources());
    return label;
}

// Shows the first source that decodes as an image; web addresses become links since this widget
// never touches the network.
void DataFormWidget::showMedia(QLabel *label, const QList<QXmppDataForm::MediaSource> &sources) const
{
    for (const auto &source : sources) {
        QImage image;
        if (image.loadFromData(mediaBytes(source.uri()))) {
            // A word-wrapping label sizes itself by its text: with a picture instead, the form's layout gave
            // it no height at all.
            label->setWordWrap(false);
            const QPixmap pixmap = QPixmap::fromImage(fitted(image));
            label->setPixmap(pixmap);
            label->setMinimumSize(pixmap.deviceIndependentSize().toSize());
            return;
        }
    }
    QStringList links;
    for (const auto &source : sources) {
        if (isWebUri(source.uri())) {
            const QString uri = source.uri().toString(QUrl::FullyEncoded).toHtmlEscaped();
            links.append(QStringLiteral("<a href=\"%1\">%1</a>").arg(uri));
        }
    }
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    if (links.isEmpty())
        label->setText(tr("This media cannot be shown.").toHtmlEscaped());
    else
        label->setText(tr("Open the media: %1").arg(links.join(QStringLiteral("<br>"))));
}

QByteArray DataFormWidget::mediaBytes(const QUrl &uri) const
{
    const QString scheme = uri.scheme().toLower();
    if (scheme == u"data")
        return decodeDataUri(uri);
    if (scheme == u"cid" && m_mediaResolver)
        return m_mediaResolver(uri.toString());
    return {};
}

void DataFormWidget::watchInput(qsizetype row)
{
    auto edited = [this, row] { onFieldEdited(row); };
    QWidget *input = m_rows[row].input;
    if (auto *edit = qobject_cast<QLineEdit *>(input))
        connect(edit, &QLineEdit::textChanged, this, edited);
    else if (auto *lines = qobject_cast<QPlainTextEdit *>(input))
        connect(lines, &QPlainTextEdit::textChanged, this, edited);
    else if (auto *box = qobject_cast<QCheckBox *>(input))
        connect(box, &QCheckBox::toggled, this, edited);
    else if (auto *combo = qobject_cast<QComboBox *>(input))
        connect(combo, &QComboBox::currentIndexChanged, this, edited);
    else if (auto *list = qobject_cast<QListWidget *>(input))
        connect(list, &QListWidget::itemChanged, this, edited);
}

void DataFormWidget::onFieldEdited(qsizetype row)
{
    if (row >= m_rows.size())
        return;
    FieldRow &edited = m_rows[row];
    // Errors appear on validate(); once shown, they follow the user's corrections.
    if (!edited.errorLabel->isHidden())
        showProblem(edited, problemOf(edited));
    updateValidity();
}

QVariant DataFormWidget::currentValue(const FieldRow &row) const
{
    switch (row.field.type()) {
    case Field::BooleanField:
        return static_cast<QCheckBox *>(row.input)->isChecked();
    case Field::TextSingleField:
    case Field::TextPrivateField:
        return static_cast<QLineEdit *>(row.input)->text();
    case Field::JidSingleField:
        return static_cast<QLineEdit *>(row.input)->text().trimmed();
    case Field::TextMultiField: {
        const QString text = static_cast<QPlainTextEdit *>(row.input)->toPlainText();
        return text.isEmpty() ? QStringList() : text.split(u'\n');
    }
    case Field::JidMultiField: {
        QStringList jids;
        for (const QString &line : static_cast<QPlainTextEdit *>(row.input)->toPlainText().split(u'\n')) {
            if (!line.trimmed().isEmpty())
                jids.append(line.trimmed());
        }
        return jids;
    }
    case Field::ListSingleField: {
        const auto *combo = static_cast<QComboBox *>(row.input);
        return combo->currentIndex() < 0 ? QString() : combo->currentData().toString();
    }
    case Field::ListMultiField: {
        const auto *list = static_cast<QListWidget *>(row.input);
        QStringList values;
        for (int i = 0; i < list->count(); ++i) {
            if (list->item(i)->checkState() == Qt::Checked)
                values.append(list->item(i)->data(Qt::UserRole).toString());
        }
        return values;
    }
    case Field::FixedField:
    case Field::HiddenField:
        break;
    }
    return row.field.value();
}

QString DataFormWidget::problemOf(const FieldRow &row) const
{
    if (row.field.type() == Field::BooleanField)
        return {};
    const QVariant value = currentValue(row);
    if (value.toStringList().join(QString()).trimmed().isEmpty())
        return row.field.isRequired() ? tr("This field is required.") : QString();

    if (row.field.type() == Field::JidSingleField) {
        return ErrorPresenter::describeJidProblem(JidValidator::checkJid(value.toString()));
    }
    if (row.field.type() == Field::JidMultiField) {
        const QStringList lines = static_cast<QPlainTextEdit *>(row.input)->toPlainText().split(u'\n');
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const QString jid = lines[i].trimmed();
            if (jid.isEmpty())
                continue;
            const auto problem = JidValidator::checkJid(jid);
            if (problem != JidValidator::Problem::None)
                return tr("Line %1: %2").arg(i + 1).arg(ErrorPresenter::describeJidProblem(problem));
        }
    }
    return {};
}

void DataFormWidget::showProblem(FieldRow &row, const QString &problem)
{
    row.errorLabel->setText(problem);
    row.errorLabel->setVisible(!problem.isEmpty());
    row.input->setProperty("invalid", !problem.isEmpty());
    row.input->style()->unpolish(row.input);
    row.input->style()->polish(row.input);
}

void DataFormWidget::updateValidity()
{
    const bool valid = isValid();
    if (valid == m_valid)
        return;
    m_valid = valid;
    Q_EMIT validityChanged(valid);
}

} // namespace Natter::Ui
