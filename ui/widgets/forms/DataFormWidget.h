// SPDX-License-Identifier: GPL-3.0-or-later
// Renders an XEP-0004 data form (with XEP-0221 media) as widgets and collects the user's answers.
#pragma once

#include <QList>
#include <QWidget>
#include <QXmppDataForm.h>
#include <functional>

class QFormLayout;
class QLabel;
class QScrollArea;

namespace Natter::Ui {

class DataFormWidget : public QWidget
{
    Q_OBJECT
public:
    // Returns the bytes behind a cid: URI (XEP-0231), or nothing when they are not known.
    using MediaResolver = std::function<QByteArray(const QString &uri)>;

    explicit DataFormWidget(QWidget *parent = nullptr);

    // Inputs are named "field:<var>", their error labels "<var>Error" and media "media:<var>".
    void setForm(const QXmppDataForm &form);
    QXmppDataForm form() const { return m_form; }
    void setMediaResolver(MediaResolver resolver);

    bool hasTitle() const;
    // For a dialog whose own text already says what the form's title would.
    void setTitleVisible(bool visible);
    // Gives the keyboard focus to the first field the user can edit.
    void focusFirstField();

    // A form of type Submit with every field but the fixed ones; hidden fields keep their values.
    QXmppDataForm submission() const;
    // Shows an error under each invalid field and focuses the first one.
    bool validate();
    bool isValid() const;
    QString firstError() const;

Q_SIGNALS:
    // Follows every edit, whether or not validate() has shown the errors yet.
    void validityChanged(bool valid);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct FieldRow
    {
        QXmppDataForm::Field field;
        QWidget *input = nullptr;
        QLabel *errorLabel = nullptr;
        QLabel *mediaLabel = nullptr;
    };

    void addField(QFormLayout *layout, const QXmppDataForm::Field &field);
    void addFixedText(QFormLayout *layout, const QXmppDataForm::Field &field);
    QLabel *addLabel(const QXmppDataForm::Field &field);
    void updateLabelWidth();
    QWidget *createInput(const QXmppDataForm::Field &field);
    QLabel *createMediaLabel(const QXmppDataForm::Field &field);
    void showMedia(QLabel *label, const QList<QXmppDataForm::MediaSource> &sources) const;
    QByteArray mediaBytes(const QUrl &uri) const;
    void watchInput(qsizetype row);
    void onFieldEdited(qsizetype row);

    QVariant currentValue(const FieldRow &row) const;
    QString problemOf(const FieldRow &row) const;
    void showProblem(FieldRow &row, const QString &problem);
    void updateValidity();

    QLabel *m_title;
    QLabel *m_instructions;
    QScrollArea *m_scrollArea;
    QWidget *m_content = nullptr;
    QFormLayout *m_fields = nullptr;
    // The labels of the label column, which share one width.
    QList<QLabel *> m_labels;
    QXmppDataForm m_form;
    QList<FieldRow> m_rows;
    MediaResolver m_mediaResolver;
    bool m_valid = true;
    bool m_titleVisible = true;
};

} // namespace Natter::Ui
